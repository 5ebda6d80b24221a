namespace Containerize.Engine.Planning;

/// <summary>A planned stage and the ENV and ARG values it ends with, which a child stage (FROM &lt;stage&gt;) starts from.</summary>
internal sealed record StageOutcome(
    PlannedStage Stage,
    IReadOnlyList<KeyValuePair<string, string>> FinalEnv,
    IReadOnlyList<KeyValuePair<string, string>> FinalArgs);
