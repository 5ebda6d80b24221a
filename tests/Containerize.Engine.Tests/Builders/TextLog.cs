using System.Collections.Concurrent;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Builders;

/// <summary>Keeps every line the engine logs, at every level, to check what reached the log.</summary>
internal sealed class TextLog : IBuildLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public ConcurrentQueue<(string Code, string Message)> Warnings { get; } = new();

    public void Info(string message) => _lines.Enqueue(message);

    public void Detail(string message) => _lines.Enqueue(message);

    public void Warning(string code, string message)
    {
        Warnings.Enqueue((code, message));
        _lines.Enqueue($"{code}: {message}");
    }
}
