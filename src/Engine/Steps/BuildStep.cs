using Containerize.Engine.Oci;

namespace Containerize.Engine.Steps;

/// <summary>What a step that changes files made: its layer (none when nothing changed) and its history text.</summary>
internal sealed record StepOutput(Layer? Layer, string History);

/// <summary>
/// One step of a stage, with how it is keyed and how it runs side by side (as BuildKit's ops hold
/// their cache map and their execution). The solver asks for the key, looks it up in the step
/// cache, executes the step on a miss and records the result in the stage's configuration; a step
/// without a key only changes the configuration and is neither looked up nor recorded.
/// </summary>
internal abstract class BuildStep : IDisposable
{
    /// <summary>What the step's log line shows.</summary>
    public abstract string Description { get; }

    /// <summary>The step's cache key; null for a step that only changes the configuration.</summary>
    public abstract Task<Digest?> KeyAsync(StepContext context);

    /// <summary>Makes the step's files; called only for a step with a key that the cache did not hold.</summary>
    public virtual Task<StepOutput> ExecuteAsync(StepContext context) =>
        throw new InvalidOperationException($"{Description} only changes the configuration; it has nothing to execute.");

    /// <summary>Records the step in the configuration: <paramref name="output"/> is what it made or the cache held, null for a step without a key.</summary>
    public abstract void Record(StageConfigBuilder config, StepOutput? output);

    /// <summary>Releases what the key left for the execution (ADD's fetched sources).</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
