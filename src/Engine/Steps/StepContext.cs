using Containerize.Engine.Copy;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Steps;

/// <summary>
/// What a step is keyed and executed with: the key of the chain before it, the stage's configuration
/// so far, its platform and base format, its log label, and the stage's files (indexed on first use)
/// and layers so far.
/// </summary>
internal sealed record StepContext(
    Digest Parent,
    StageConfigBuilder Config,
    Platform Platform,
    ImageFormat BaseFormat,
    string Label,
    Func<Task<IImageFileSystem>> FileSystem,
    Func<IReadOnlyList<Layer>> Layers,
    CancellationToken Cancellation);
