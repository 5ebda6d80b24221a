using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Steps;

/// <summary>The one place a planned Dockerfile stage's instructions become typed steps.</summary>
internal static class DockerfileSteps
{
    public static StageRecipe For(PlannedStage stage, string dockerfilePath, StepServices services, RunStep runStep)
    {
        var steps = stage.Steps.Select(step =>
        {
            var location = new SourceLocation(dockerfilePath, step.Range.StartLine, step.Range.StartColumn);
            return step.Instruction switch
            {
                CopyInstruction or AddInstruction => new CopyFilesStep(step, location, services),
                WorkdirInstruction workdir => new WorkdirStep(workdir, location, services),
                RunInstruction => new RunInstructionStep(step, location, services, runStep),
                var instruction => (BuildStep)new ConfigChangeStep(instruction.Keyword, config => config.Apply(instruction)),
            };
        }).ToList();
        return new StageRecipe(steps, dockerfilePath, StageConfigBuilder.HistoryComment, KeepsBaseTriggers: false);
    }
}
