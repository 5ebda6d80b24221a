using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Planning;

/// <summary>A build argument's value as a step sees it.</summary>
public sealed record BuildArgValue(string Name, string Value);

/// <summary>
/// One instruction of a stage, ready to execute. <see cref="Instruction"/> has the same type as the
/// parsed one, but every word Docker expands is expanded (quotes removed, variables substituted);
/// RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK keep their text for the container's shell.
/// <see cref="Args"/> are the ARG values in scope, in declaration order (RUN gets them in its
/// environment, below ENV). <see cref="Sources"/> maps each expanded <c>--from</c> value of the step
/// (COPY, RUN mounts) to the stage or image it names.
/// </summary>
public sealed record PlannedStep(
    Instruction Instruction,
    IReadOnlyList<BuildArgValue> Args,
    IReadOnlyDictionary<string, StageBase> Sources,
    SourceRange Range);
