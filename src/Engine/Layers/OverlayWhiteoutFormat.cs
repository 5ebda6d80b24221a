namespace Containerize.Engine.Layers;

/// <summary>
/// How a layer's OCI whiteouts are written when it is unpacked alone as an overlayfs lower
/// directory: a <c>.wh.name</c> becomes a 0/0 character device <c>name</c>, a <c>.wh..wh..opq</c>
/// becomes the xattr <c>overlay.opaque=y</c> on its directory, in the namespace the overlay is
/// mounted with (kernel Documentation/filesystems/overlayfs.rst, "whiteouts and opaque directories").
/// </summary>
public enum OverlayWhiteoutFormat
{
    /// <summary><c>trusted.overlay.*</c>: an overlay mounted by root in the initial user namespace.</summary>
    TrustedXattrs,

    /// <summary><c>user.overlay.*</c>: an overlay mounted with <c>userxattr</c>, as it must be inside a user namespace (kernel 5.11+).</summary>
    UserXattrs,
}

internal static class OverlayXattrs
{
    public static string Namespace(OverlayWhiteoutFormat format) => format == OverlayWhiteoutFormat.UserXattrs ? "user.overlay." : "trusted.overlay.";

    public static string Opaque(OverlayWhiteoutFormat format) => Namespace(format) + "opaque";

    /// <summary>
    /// An overlay-private xattr carried in a layer would be obeyed by the kernel (redirect,
    /// metacopy, ...); overlayfs reads "overlay.overlay.x" as a plain "overlay.x" instead, so a
    /// layer's own ones are escaped that way (overlayfs.rst, "Nesting overlayfs mounts").
    /// </summary>
    public static string Escape(string name) =>
        name.StartsWith("trusted.overlay.", StringComparison.Ordinal) ? "trusted.overlay.overlay." + name["trusted.overlay.".Length..]
        : name.StartsWith("user.overlay.", StringComparison.Ordinal) ? "user.overlay.overlay." + name["user.overlay.".Length..]
        : name;
}
