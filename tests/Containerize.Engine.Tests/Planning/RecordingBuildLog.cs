using System.Collections.Concurrent;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Planning;

/// <summary>Keeps the warnings the engine reports.</summary>
internal sealed class RecordingBuildLog : IBuildLog
{
    public ConcurrentQueue<(string Code, string Message)> Warnings { get; } = new();

    public void Info(string message) { }

    public void Detail(string message) { }

    public void Warning(string code, string message) => Warnings.Enqueue((code, message));
}
