using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Copy;

/// <summary>
/// The directory sources are copied from. Paths are resolved component by component with symlinks
/// followed inside it: an absolute link target starts again at the root, and anything that climbs
/// above the root (through ".." or a link) is an error instead of being clamped.
/// </summary>
internal sealed class SourceRoot
{
    private const int MaxLinkHops = 255;
    private readonly CopyErrors _errors;

    public SourceRoot(string directory, CopyErrors errors)
    {
        Directory = Path.GetFullPath(directory).TrimEnd('/');
        _errors = errors;
    }

    public string Directory { get; }

    /// <summary>The host path of the root-relative path with every symlink followed; it may not exist.</summary>
    public string Resolve(string relativePath, string sourceWord)
    {
        var resolved = new List<string>();
        var pending = new Stack<string>(Split(relativePath).Reverse());
        int hops = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count == 0) throw Outside(sourceWord);
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string candidate = HostPath(resolved, part);
            var metadata = LibC.TryStatx(candidate);
            if (metadata is not { Kind: UnixFileKind.SymbolicLink })
            {
                resolved.Add(part);
                if (metadata is null)
                {
                    foreach (string rest in pending) resolved.Add(rest);
                    break;
                }
                continue;
            }
            if (++hops > MaxLinkHops)
            {
                throw _errors.Create(ErrorCodes.CopySourceNotFound, $"The source '{sourceWord}' goes through more than {MaxLinkHops} symbolic links; check for a link loop.");
            }
            string target = new FileInfo(candidate).LinkTarget ?? "";
            if (target.StartsWith('/')) resolved.Clear();
            foreach (string targetPart in Split(target).Reverse()) pending.Push(targetPart);
        }
        return HostPath(resolved, null);
    }

    /// <summary>The root-relative, slash-separated form of a host path under the root ("" for the root).</summary>
    public string Relative(string hostPath) => hostPath.Length <= Directory.Length ? "" : hostPath[(Directory.Length + 1)..];

    public ContainerizeException Outside(string sourceWord) =>
        _errors.Create(ErrorCodes.CopySourceOutsideRoot,
            $"The source '{sourceWord}' resolves outside of '{Directory}' (through '..' or a symbolic link); only files inside the build context or stage can be copied. Move the file into the context or name it relative to the context.");

    private string HostPath(List<string> parts, string? last)
    {
        string path = parts.Count == 0 ? Directory : Directory + "/" + string.Join('/', parts);
        return last is null ? path : path + "/" + last;
    }

    private static IEnumerable<string> Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
