using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>
/// <c>HEALTHCHECK</c> as the image config stores it: <see cref="Test"/> is <c>["NONE"]</c>,
/// <c>["CMD-SHELL", text]</c> or <c>["CMD", args…]</c>; zero durations and retries mean "inherit".
/// </summary>
public sealed record HealthcheckInstruction(
    SourceRange Range,
    IReadOnlyList<string> Test,
    TimeSpan Interval,
    TimeSpan Timeout,
    TimeSpan StartPeriod,
    TimeSpan StartInterval,
    int Retries) : Instruction(Range)
{
    public override string Keyword => "HEALTHCHECK";

    public bool Disables => Test is ["NONE"];
}

/// <summary><c>ONBUILD</c>: the trigger as text (what the image config records) and typed.</summary>
public sealed record OnbuildInstruction(SourceRange Range, string Expression, Instruction Trigger) : Instruction(Range)
{
    public override string Keyword => "ONBUILD";
}
