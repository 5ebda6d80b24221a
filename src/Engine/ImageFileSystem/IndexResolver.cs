namespace Containerize.Engine.ImageFileSystem;

/// <summary>
/// Walks the index the way the kernel walks a path, with the image root as '/': symlinks are
/// followed inside the image (an absolute target restarts at the root, ".." stops at it), and
/// more than <see cref="MaxSymlinkFollows"/> follows is a loop.
/// </summary>
internal sealed class IndexResolver
{
    public const int MaxSymlinkFollows = 40;

    private readonly IndexNode _root;

    public IndexResolver(IndexNode root) => _root = root;

    /// <summary>
    /// The node a path names (null when only its last component is missing) and its final in-image
    /// path; null altogether when a loop, a missing parent or a non-directory parent stops the walk.
    /// </summary>
    public (IndexNode? Node, string Path)? Resolve(IReadOnlyList<string> components, bool followFinal)
    {
        var walk = new Walk(_root, components);
        while (walk.Pending.TryPop(out string? part))
        {
            if (walk.StepUpOrStay(part)) continue;
            bool last = walk.Pending.Count == 0;
            var child = walk.Current.Child(part);
            if (child is null) return last ? (null, ImagePath.Join([.. walk.Names, part])) : null;
            if (child.Kind == ImageFileKind.Symlink && (!last || followFinal))
            {
                if (!walk.Follow(child.LinkTarget)) return null;
                continue;
            }
            if (!last && !child.IsDirectory) return null;
            walk.Enter(part, child);
        }
        return (walk.Current, ImagePath.Join(walk.Names));
    }

    /// <summary>
    /// The directory a layer entry's parent components name, following symlinks as extraction
    /// would and creating missing directories; a non-directory in the way becomes a directory
    /// unless <paramref name="nonDirectoryStops"/>. Every directory passed is marked as written by
    /// <paramref name="layer"/>. The result says where the walk ended: its in-image path, and the
    /// node (null on a symlink loop, or at a non-directory that stopped it).
    /// </summary>
    public ParentForWrite ResolveParentForWrite(IReadOnlyList<string> components, int layer, bool nonDirectoryStops = false)
    {
        var walk = new Walk(_root, components);
        while (walk.Pending.TryPop(out string? part))
        {
            if (walk.StepUpOrStay(part)) continue;
            var child = walk.Current.Child(part);
            if (child is { Kind: ImageFileKind.Symlink })
            {
                if (!walk.Follow(child.LinkTarget)) return new ParentForWrite(null, walk.Names, Blocked: false);
                continue;
            }
            if (child is not null && !child.IsDirectory && nonDirectoryStops) return new ParentForWrite(null, [.. walk.Names, part], Blocked: true);
            if (child is null || !child.IsDirectory)
            {
                child = IndexNode.ImplicitDirectory(layer);
                walk.Current.SetChild(part, child);
            }
            child.WrittenInLayer = layer;
            walk.Enter(part, child);
        }
        return new ParentForWrite(walk.Current, walk.Names, Blocked: false);
    }

    /// <summary>The state of one walk: the directories entered so far and the components still to go.</summary>
    private sealed class Walk
    {
        private readonly IndexNode _root;
        private readonly List<IndexNode> _nodes;
        private int _follows;

        public Walk(IndexNode root, IReadOnlyList<string> components)
        {
            _root = root;
            _nodes = [root];
            Push(components);
        }

        public Stack<string> Pending { get; } = new();
        public List<string> Names { get; } = new();
        public IndexNode Current => _nodes[^1];

        /// <summary>Handles "", "." and ".." (clamped at the root); false for a real name.</summary>
        public bool StepUpOrStay(string part)
        {
            if (part is "" or ".") return true;
            if (part != "..") return false;
            if (Names.Count > 0)
            {
                Names.RemoveAt(Names.Count - 1);
                _nodes.RemoveAt(_nodes.Count - 1);
            }
            return true;
        }

        public void Enter(string name, IndexNode node)
        {
            Names.Add(name);
            _nodes.Add(node);
        }

        /// <summary>Continues the walk at a symlink's target; false on a loop or an empty target.</summary>
        public bool Follow(string target)
        {
            if (++_follows > MaxSymlinkFollows || target.Length == 0) return false;
            if (target.StartsWith('/'))
            {
                Names.Clear();
                _nodes.Clear();
                _nodes.Add(_root);
            }
            Push(target.Split('/'));
            return true;
        }

        private void Push(IReadOnlyList<string> components)
        {
            for (int i = components.Count - 1; i >= 0; i--)
            {
                if (components[i] is not ("" or ".")) Pending.Push(components[i]);
            }
        }
    }
}

/// <summary>Where <see cref="IndexResolver.ResolveParentForWrite"/> ended: the directory (null when stopped), the in-image components walked, and whether a non-directory stopped it there.</summary>
internal readonly record struct ParentForWrite(IndexNode? Node, IReadOnlyList<string> Path, bool Blocked);
