using Containerize.Engine.Oci;

namespace Containerize.Engine.Steps;

/// <summary>
/// The typed steps of a stage, and how its configuration starts from its base's: the file that
/// defines it (for error locations), the comment of its history entries, and whether the base's
/// ONBUILD triggers stay (the image from project properties keeps them, as the .NET SDK does; a
/// Dockerfile stage ran them as its first steps).
/// </summary>
internal sealed record StageRecipe(IReadOnlyList<BuildStep> Steps, string DefinitionPath, string HistoryComment, bool KeepsBaseTriggers)
{
    public StageConfigBuilder ConfigBuilder(ImageConfig? inherited, string created)
    {
        var config = KeepsBaseTriggers ? inherited?.Config : inherited?.Config is { } runtime ? runtime with { OnBuild = null } : null;
        return new StageConfigBuilder(config, inherited?.Author, DefinitionPath, created, HistoryComment);
    }
}
