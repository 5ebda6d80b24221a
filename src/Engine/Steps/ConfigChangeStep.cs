using Containerize.Engine.Oci;

namespace Containerize.Engine.Steps;

/// <summary>
/// A step that only changes the image configuration (ENV, LABEL, USER, CMD, … or a project
/// property): no key of its own, no files; the chain goes on from the history text it records.
/// </summary>
internal sealed class ConfigChangeStep(string description, Action<StageConfigBuilder> change) : BuildStep
{
    public override string Description => description;

    public override Task<Digest?> KeyAsync(StepContext context) => Task.FromResult<Digest?>(null);

    public override void Record(StageConfigBuilder config, StepOutput? output) => change(config);
}
