using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Steps;

/// <summary>
/// The folders a step reads from (the context, named contexts, earlier stages and images named by
/// <c>--from</c>), as the solver provides them: a step that reads another stage waits for it here.
/// </summary>
internal interface IStepSources
{
    /// <summary>The directory and ignore rules for a step's sources: the context when <paramref name="source"/> is null.</summary>
    Task<(string Directory, IgnorePatterns? Filter)> ResolveAsync(StageBase? source, Platform platform, SourceLocation location, CancellationToken ct);

    /// <summary>What identifies a --from source without reading it: a stage's final key, an image's manifest digest; null for directories.</summary>
    Task<string?> IdentityAsync(StageBase? source, Platform platform, CancellationToken ct);

    /// <summary>The layers of a stage this step already waited for (through <see cref="ResolveAsync"/>).</summary>
    IReadOnlyList<Layer> LayersOfStageWaitedFor(int index);
}
