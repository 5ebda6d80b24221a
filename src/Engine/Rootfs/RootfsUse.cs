using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Rootfs;

/// <summary>What a root made from a layer stack is for: whether its changes become a layer, and the words of its messages.</summary>
internal sealed record RootfsUse
{
    /// <summary>The command's changes become a layer (a RUN step): the copy fallback takes a snapshot to diff against.</summary>
    public required bool KeepsChanges { get; init; }

    /// <summary>How the copy's failure to read the image starts, e.g. "The copy of alpine cannot be made as an ordinary user".</summary>
    public required string CopyRefused { get; init; }

    /// <summary>What to do as root instead: "Build", "Run it".</summary>
    public required string AsRoot { get; init; }

    public SourceLocation? Location { get; init; }

    /// <summary>Where the copy fallback's detail lines (its folder, its timings) go, if anywhere.</summary>
    public Action<string>? Detail { get; init; }

    public static RootfsUse RunStep(string label, SourceLocation location, IBuildLog log) => new()
    {
        KeepsChanges = true,
        CopyRefused = "The copy fallback for RUN cannot read the whole image as an ordinary user",
        AsRoot = "Build",
        Location = location,
        Detail = line => log.Detail($"{label} {line}"),
    };

    public static RootfsUse RunImage(string image) => new()
    {
        KeepsChanges = false,
        CopyRefused = $"The copy of {image} cannot be made as an ordinary user",
        AsRoot = "Run it",
    };
}
