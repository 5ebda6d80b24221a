namespace Containerize.Engine.Diagnostics;

/// <summary>
/// Where the engine reports progress. The MSBuild task maps these to message importance and
/// warnings; tests collect them. Implementations must be safe to call from several threads.
/// </summary>
public interface IBuildLog
{
    /// <summary>What a user wants to see at normal verbosity (steps, pushed references, digests).</summary>
    void Info(string message);

    /// <summary>Detail for diagnostic verbosity (each blob, each request retried).</summary>
    void Detail(string message);

    void Warning(string code, string message);
}

/// <summary>A log that drops everything.</summary>
public sealed class NullBuildLog : IBuildLog
{
    public static readonly NullBuildLog Instance = new();
    public void Info(string message) { }
    public void Detail(string message) { }
    public void Warning(string code, string message) { }
}
