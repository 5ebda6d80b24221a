using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>What a stage starts from, or what a <c>COPY --from</c> / <c>RUN --mount from=</c> reads.</summary>
public abstract record StageBase;

/// <summary>
/// An image from a registry, normalized. <see cref="Config"/> is the resolved configuration for a
/// stage's base; it is null for images only read by <c>--from</c> (the planner does not resolve those).
/// </summary>
public sealed record ImageBase(ImageReference Reference, ImageConfig? Config) : StageBase;

/// <summary>An earlier stage of the same Dockerfile, by index.</summary>
public sealed record StageReference(int StageIndex) : StageBase;

/// <summary><c>FROM scratch</c>: an empty file system and an empty config.</summary>
public sealed record ScratchBase : StageBase
{
    public static readonly ScratchBase Instance = new();
}

/// <summary>A named build context (a directory given by the caller, such as <c>publish</c>) read by <c>COPY --from</c>.</summary>
public sealed record NamedContextBase(string Name) : StageBase;
