namespace Containerize.HelperProtocol;

/// <summary>
/// How the helper reports a failure before the command runs: the line
/// <c>containerize-helper: error CTZ70xx: …</c> on stderr, the same code and message in the scratch
/// folder's <see cref="HelperScratchFiles.Error"/> file (<see cref="HelperErrorReport"/>), and the exit
/// code <see cref="SetupFailedExitCode"/>, so the engine tells "could not set up" from "the command
/// exited N". The codes are the engine's stable error codes (ErrorCodes uses these constants).
/// </summary>
internal static class HelperFailureCodes
{
    public const int SetupFailedExitCode = 125;

    private const string StderrPrefix = "containerize-helper: error ";

    /// <summary>Any other failure to set the container up.</summary>
    public const string SetupFailed = "CTZ7000";
    public const string UserNotFound = "CTZ7003";
    public const string CommandNotFound = "CTZ7004";

    /// <summary>overlay refused the mount: the engine switches to the copy fallback.</summary>
    public const string OverlayMountFailed = "CTZ7005";

    /// <summary>Owners could not be given to (or taken from) an unpacked tree inside the user namespace.</summary>
    public const string LayerUnpackInNamespaceFailed = "CTZ7007";

    /// <summary>Every code the helper reports starts so; anything else read from the error file is reported as <see cref="SetupFailed"/>.</summary>
    public const string CodePrefix = "CTZ70";

    /// <summary>The line on stderr: <c>containerize-helper: error CTZ70xx: message</c>.</summary>
    public static string StderrLine(string code, string message) => $"{StderrPrefix}{code}: {message}";

    /// <summary>The message of the helper's failure line in <paramref name="output"/> (to its end), without the code; null when there is none.</summary>
    public static string? MessageInOutput(string output)
    {
        int at = output.IndexOf(StderrPrefix, StringComparison.Ordinal);
        if (at < 0) return null;
        string message = output[(at + StderrPrefix.Length)..];
        return message.StartsWith(CodePrefix, StringComparison.Ordinal) && message.Length > 9 && message[7] == ':' ? message[9..] : message;
    }
}
