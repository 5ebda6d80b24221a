using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Layers;

/// <summary>
/// Resolves path components under an extraction root as if the root were '/': symlinks met on
/// the way are followed inside the root (an absolute target restarts at the root, ".." stops at
/// it), so no symlink in a layer can make a later entry land outside the root.
/// </summary>
internal sealed class RootScopedResolver
{
    private const int MaxSymlinkFollows = 255;
    private readonly string _root;

    public RootScopedResolver(string root) => _root = root;

    /// <summary>The real directory for <paramref name="components"/>, creating missing directories (0755) when asked; null when missing and not created.</summary>
    public string? ResolveDirectory(IReadOnlyList<string> components, string entryName, bool createMissing)
    {
        var resolved = new List<string>();
        var pending = new LinkedList<string>(components);
        int follows = 0;
        while (pending.First is { } first)
        {
            string part = first.Value;
            pending.RemoveFirst();
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string candidate = Join(resolved, part);
            var metadata = LibC.TryStatx(candidate);
            if (metadata is null)
            {
                if (!createMissing) return null;
                Directory.CreateDirectory(candidate);
                resolved.Add(part);
                continue;
            }
            switch (metadata.Value.Kind)
            {
                case UnixFileKind.Directory:
                    resolved.Add(part);
                    break;
                case UnixFileKind.SymbolicLink:
                    if (++follows > MaxSymlinkFollows) throw LayerPath.Unsafe(entryName, "too many levels of symbolic links");
                    string target = new FileInfo(candidate).LinkTarget ?? "";
                    if (target.StartsWith('/')) resolved.Clear();
                    var targetParts = target.Split('/');
                    for (int i = targetParts.Length - 1; i >= 0; i--) pending.AddFirst(targetParts[i]);
                    break;
                default:
                    throw new ContainerizeException(ErrorCodes.CorruptLayer,
                        $"The layer entry '{entryName}' needs '/{string.Join('/', resolved.Append(part))}' to be a directory, but it is a file. The layer does not fit on the layers below it.");
            }
        }
        return Join(resolved, null);
    }

    private string Join(List<string> resolved, string? last)
    {
        string path = resolved.Count == 0 ? _root : Path.Combine(_root, string.Join('/', resolved));
        return last is null ? path : Path.Combine(path, last);
    }
}
