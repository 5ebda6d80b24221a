using Containerize.HelperProtocol;

namespace Containerize.Helper;

/// <summary>A failure before the command runs; <see cref="Code"/> is the engine's stable error code.</summary>
internal sealed class HelperException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public static HelperException FromErrno(string what, int errno, string code = HelperFailureCodes.SetupFailed) =>
        new(code, $"{what}: {Libc.ErrorText(errno)} (errno {errno})");
}
