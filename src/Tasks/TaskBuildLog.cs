using Containerize.Engine.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Containerize.Tasks;

/// <summary>Engine progress as MSBuild messages: Info at normal verbosity, Detail at detailed.</summary>
internal sealed class TaskBuildLog(TaskLoggingHelper log) : IBuildLog
{
    private readonly object _gate = new();

    public void Info(string message)
    {
        lock (_gate) log.LogMessage(MessageImportance.High, message);
    }

    public void Detail(string message)
    {
        lock (_gate) log.LogMessage(MessageImportance.Low, message);
    }

    public void Warning(string code, string message)
    {
        lock (_gate) log.LogWarning(null, code, null, null, 0, 0, 0, 0, message);
    }
}
