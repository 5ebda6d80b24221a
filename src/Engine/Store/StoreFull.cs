using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Store;

/// <summary>Recognizes a full file system (ENOSPC, EDQUOT) under the store and says what to do about it.</summary>
internal static class StoreFull
{
    private const int NoSpace = 28; // ENOSPC
    private const int QuotaExceeded = 122; // EDQUOT on Linux

    /// <summary>.NET on Unix carries the errno of an I/O error it has no own exception for in HResult.</summary>
    public static bool Is(IOException e) => e.HResult is NoSpace or QuotaExceeded;

    public static ContainerizeException Error(string root, IOException e) => new(ErrorCodes.StoreFull,
        $"The image store '{root}' is full: {e.Message}. Nothing was stored. Free space on that file system, or set ContainerStorePath "
        + $"(or {BlobStore.RootEnvironmentVariable}) to a folder on one with more room, then build again.", e);
}
