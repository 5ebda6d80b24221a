using Containerize.Engine.Diagnostics;
using Containerize.Engine.Store;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>The image store folder (<c>ContainerStorePath</c>, <c>--store</c>): relative to <c>baseDirectory</c>; empty for the default.</summary>
public static class StoreSetting
{
    public static BlobStore Open(string? text, string baseDirectory, IBuildLog log) =>
        new(string.IsNullOrWhiteSpace(text) ? BlobStore.DefaultRoot() : Path.GetFullPath(Path.Combine(baseDirectory, text.Trim())), log);
}
