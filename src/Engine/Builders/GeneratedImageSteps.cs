using Containerize.Engine.Steps;

namespace Containerize.Engine.Builders;

/// <summary>
/// The image from project properties as one stage: the publish output as one layer at the working
/// directory, then the properties' changes to the base image's configuration (no history entries
/// for those, as the .NET SDK writes none).
/// </summary>
internal static class GeneratedImageSteps
{
    public const string HistoryComment = "containerize";

    public static StageRecipe For(GeneratedImageRequest request, StepServices services) => new(
    [
        new DirectoryLayerStep(request.PublishDirectory, request.WorkingDirectory, request.KeepFileOwners, request.Format, services),
        new ConfigChangeStep("ContainerEnvironmentVariable", config => config.SetEnvironment(request.EnvironmentVariables)),
        new ConfigChangeStep("ContainerLabel", config => config.SetLabels(request.Labels)),
        new ConfigChangeStep("ContainerPort", config => config.AddPorts(request.Ports)),
        new ConfigChangeStep("ContainerWorkingDirectory " + request.WorkingDirectory, config => config.SetWorkingDirectory(request.WorkingDirectory)),
        new ConfigChangeStep("ContainerUser", config => config.SetUser(request.User)),
        new ConfigChangeStep("ContainerEntrypoint", config => config.SetCommand(request.Entrypoint, request.Cmd)),
    ], request.PublishDirectory, HistoryComment, KeepsBaseTriggers: true);
}
