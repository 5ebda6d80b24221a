namespace Containerize.Engine.Rootfs;

/// <summary>How a RUN step gets its root file system.</summary>
public enum RootfsMode
{
    /// <summary>An overlay of the unpacked layers; where it cannot be mounted (CTZ7005) the build switches to <see cref="Copy"/>, and says so once.</summary>
    Overlay,

    /// <summary>Always a plain copy of the stacked layers and a snapshot diff, as buildah's vfs driver (slower, uses disk space per step).</summary>
    Copy,
}
