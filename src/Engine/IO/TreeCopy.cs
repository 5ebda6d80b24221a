using System.Diagnostics;

namespace Containerize.Engine.IO;

/// <summary>Copies a file or folder with everything it holds — owners, modes, links, xattrs — as <c>cp -a</c> does.</summary>
public static class TreeCopy
{
    public static async Task CopyAsync(string source, string destination, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo("cp") { ArgumentList = { "-a", "--", source, destination }, RedirectStandardError = true })!;
        string error = await process.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (process.ExitCode != 0) throw new IOException($"Copying '{source}' to '{destination}' failed: {error.Trim()}");
    }
}
