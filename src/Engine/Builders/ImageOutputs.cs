using Containerize.Engine.Oci;

namespace Containerize.Engine.Builders;

/// <summary>Where a built image goes: a registry repository with tags, an archive, or both.</summary>
public sealed record ImageOutputs
{
    /// <summary>The repository to push to (its tag is ignored; <see cref="Tags"/> are pushed), or null to not push.</summary>
    public ImageReference? PushTo { get; init; }

    /// <summary>The repository name recorded in an archive (e.g. <c>myapp</c>), with <see cref="Tags"/>.</summary>
    public required string RepositoryName { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public string? ArchivePath { get; init; }

    public ArchiveFormat ArchiveFormat { get; init; } = ArchiveFormat.OciLayout;
}

public enum ArchiveFormat
{
    /// <summary>An OCI image layout in a tar (<c>skopeo copy oci-archive:</c>, <c>podman load</c>).</summary>
    OciLayout,

    /// <summary>The <c>docker save</c> format (<c>docker load</c>, <c>podman load</c>).</summary>
    DockerArchive,
}
