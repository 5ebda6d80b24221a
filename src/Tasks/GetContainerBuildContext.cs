using Containerize.Engine.Context;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Containerize.Tasks;

/// <summary>
/// Lists the files of a Dockerfile's build context that COPY and ADD can see (the .dockerignore
/// applied), so MSBuild can use them as target inputs.
/// </summary>
public sealed class GetContainerBuildContext : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    [Required] public string ProjectDirectory { get; set; } = "";

    [Required] public string Dockerfile { get; set; } = "";

    public string? BuildContext { get; set; }

    /// <summary>Files and symlinks, full paths, with metadata <c>RelativePath</c> ('/'-separated).</summary>
    [Output] public ITaskItem[] Files { get; private set; } = [];

    /// <summary>The ignore file that applies, if any.</summary>
    [Output] public string? IgnoreFile { get; private set; }

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute() => TaskErrors.Run(Log, () =>
    {
        string context = Path.GetFullPath(Path.Combine(ProjectDirectory, string.IsNullOrWhiteSpace(BuildContext) ? "." : BuildContext.Trim()));
        string dockerfile = Path.GetFullPath(Path.Combine(ProjectDirectory, Dockerfile.Trim()));
        IgnoreFile = DockerignoreFile.Locate(context, dockerfile);
        var patterns = IgnoreFile is null ? IgnorePatterns.Empty : DockerignoreFile.Read(IgnoreFile);
        Files = ContextWalker.Walk(context, patterns, _cancellation.Token)
            .Where(e => e.Kind is ContextEntryKind.File or ContextEntryKind.Symlink)
            .Select(e =>
            {
                var item = new TaskItem(e.FullPath);
                item.SetMetadata("RelativePath", e.RelativePath);
                return (ITaskItem)item;
            })
            .ToArray();
    }, _cancellation.Token);
}
