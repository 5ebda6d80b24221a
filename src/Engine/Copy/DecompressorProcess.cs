using System.Diagnostics;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;

namespace Containerize.Engine.Copy;

/// <summary>The standard output of <c>tool -dc file</c> as a read-only stream; a failing tool is an error at the end of the stream.</summary>
internal sealed class DecompressorProcess : ReadOnlyStream
{
    private readonly Process _process;
    private readonly Stream _output;
    private readonly Task<string> _standardError;
    private readonly string _tool;
    private readonly string _path;
    private readonly CopyErrors _errors;

    private DecompressorProcess(Process process, string tool, string path, CopyErrors errors)
    {
        _process = process;
        _output = process.StandardOutput.BaseStream;
        _standardError = process.StandardError.ReadToEndAsync();
        _tool = tool;
        _path = path;
        _errors = errors;
    }

    public static DecompressorProcess Start(string tool, string path, CopyErrors errors)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-dc");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(path);
        try
        {
            return new DecompressorProcess(Process.Start(start)!, tool, path, errors);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw errors.Create(ErrorCodes.CopyArchiveUnreadable,
                $"ADD needs the '{tool}' program to extract '{path}', and it is not installed. Install it (e.g. apt-get install {(tool == "xz" ? "xz-utils" : tool)}) or repack the archive with gzip.", e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read = _output.Read(buffer, offset, count);
        if (read == 0 && count > 0)
        {
            _process.WaitForExit();
            if (_process.ExitCode != 0)
            {
                throw _errors.Create(ErrorCodes.CopyArchiveUnreadable,
                    $"'{_path}' could not be decompressed by {_tool} (exit code {_process.ExitCode}: {_standardError.Result.Trim()}). Check that the archive is complete.");
            }
        }
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_process.HasExited)
            {
                try { _process.Kill(); } catch (InvalidOperationException) { }
            }
            _process.WaitForExit();
            _output.Dispose();
            _process.Dispose();
        }
        base.Dispose(disposing);
    }
}
