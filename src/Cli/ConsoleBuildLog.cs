using Containerize.Engine.Diagnostics;

namespace Containerize.Cli;

internal sealed class ConsoleBuildLog(bool verbose) : IBuildLog
{
    private readonly object _gate = new();

    public void Info(string message)
    {
        lock (_gate) Console.Error.WriteLine(message);
    }

    public void Detail(string message)
    {
        if (verbose) lock (_gate) Console.Error.WriteLine(message);
    }

    public void Warning(string code, string message)
    {
        lock (_gate) Console.Error.WriteLine($"warning {code}: {message}");
    }
}
