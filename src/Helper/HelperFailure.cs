using Containerize.HelperProtocol;
using static Containerize.Helper.Libc;

namespace Containerize.Helper;

/// <summary>
/// The helper's failures in its own words. It is built with UseSystemResourceKeys (no resource
/// lookups at start), so a .NET exception's message is a resource key such as
/// <c>IO_FileNotFound_FileName</c>: none is ever printed. What failed, on which path, and the
/// system's reason are; a stack trace only when <c>CONTAINERIZE_HELPER_DEBUG=1</c> asks for it.
/// </summary>
internal static class HelperFailure
{
    private const int ENAMETOOLONG = 36;

    /// <summary>The one line (a few with the debug variable) the helper prints and the engine shows.</summary>
    public static string Describe(Exception e)
    {
        string text = e is HelperException ? e.Message : $"internal error ({e.GetType().Name}: {Reason(e)})";
        return Environment.GetEnvironmentVariable("CONTAINERIZE_HELPER_DEBUG") == "1" ? $"{text}\n{e}" : text;
    }

    /// <summary>Runs a file operation of the BCL; its failure becomes a <see cref="HelperException"/> saying <paramref name="what"/> and why.</summary>
    public static T Io<T>(string what, Func<T> operation, string code = HelperFailureCodes.SetupFailed)
    {
        try { return operation(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new HelperException(code, $"{what}: {Reason(e)}"); }
    }

    /// <inheritdoc cref="Io{T}(string, Func{T}, string)"/>
    public static void Io(string what, Action operation, string code = HelperFailureCodes.SetupFailed) =>
        Io(what, () => { operation(); return 0; }, code);

    /// <summary>The system's reason, from the exception's type or, for a plain IOException on Unix, its errno.</summary>
    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => ErrorText(ENOENT),
        UnauthorizedAccessException => ErrorText(EACCES),
        PathTooLongException => ErrorText(ENAMETOOLONG),
        IOException { HResult: > 0 and < 4096 } io => ErrorText(io.HResult),
        IOException => "input/output error",
        _ => "unexpected",
    };
}
