using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Store;

/// <summary>
/// The store's root folder belongs to the building user and only that user may enter it (mode
/// 0700): the store holds image trees unpacked with their owners and modes, setuid programs and
/// device nodes included, which another user must not reach. A new root is made 0700 from the
/// start; an existing one that others may enter is made 0700 with warning CTZ3020. A root owned by
/// another user (or a symbolic link another user owns) is refused (CTZ3021): that user could swap
/// what a build reads. A folder others rely on (sticky, like /tmp, or /) is refused (CTZ3022)
/// rather than locked. Rootless builds leave files of subordinate ids inside; the user, their
/// container root, still reaches them through the 0700 root the user owns.
/// </summary>
internal static class PrivateStoreRoot
{
    private const int OwnerOnly = 0b111_000_000;
    private const int GroupAndOthers = 0b000_111_111;
    private const int Sticky = 0b1_000_000_000;
    private const int EEXIST = 17;

    /// <summary>Creates or checks the root; IOException when it cannot be made, ContainerizeException when it must not be used.</summary>
    public static void Prepare(string root, IBuildLog log)
    {
        if (!OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory(root);
            return;
        }
        if (Path.GetDirectoryName(root) is { } parent) Directory.CreateDirectory(parent);
        try
        {
            LibC.MakeDirectory(root, OwnerOnly);
            return;
        }
        catch (IOException e) when (e.HResult == EEXIST)
        {
            // There already: check it below.
        }

        uint user = LibC.EffectiveUserId;
        var entry = LibC.TryStatx(root) ?? throw new IOException($"'{root}' vanished while it was opened");
        string folder = root;
        if (entry.Kind == UnixFileKind.SymbolicLink)
        {
            if (entry.Uid != user && entry.Uid != 0)
            {
                throw new ContainerizeException(ErrorCodes.StoreNotOwned,
                    $"The image store '{root}' is a symbolic link owned by uid {entry.Uid}, neither this build's user (uid {user}) nor root: "
                    + $"its owner can point it elsewhere, so it is not followed. Remove the link, or set ContainerStorePath (or {BlobStore.RootEnvironmentVariable}) to a folder of your own.");
            }
            folder = Directory.ResolveLinkTarget(root, returnFinalTarget: true)?.FullName ?? root;
            entry = LibC.TryStatx(folder) ?? throw new IOException($"it is a symbolic link to '{folder}', which does not exist");
        }
        string where = folder == root ? $"'{root}'" : $"'{root}' (a link to '{folder}')";
        if (entry.Kind != UnixFileKind.Directory) throw new IOException($"{where} is not a folder");
        if (entry.Uid != user)
        {
            throw new ContainerizeException(ErrorCodes.StoreNotOwned,
                $"The image store {where} belongs to uid {entry.Uid}, but this build runs as uid {user}: a store another user controls could hand "
                + $"this build altered layers, so it is not used. Set ContainerStorePath (or {BlobStore.RootEnvironmentVariable}) to a folder of your own, or build as uid {entry.Uid}.");
        }
        if ((entry.Permissions & Sticky) != 0 || folder == "/")
        {
            throw new ContainerizeException(ErrorCodes.StoreIsSharedFolder,
                $"The image store {where} is a folder other users rely on (mode {Octal(entry.Permissions)}{((entry.Permissions & Sticky) != 0 ? ", sticky like /tmp" : "")}): "
                + $"it would have to become private to hold the store. Set ContainerStorePath (or {BlobStore.RootEnvironmentVariable}) to a new folder inside it, e.g. '{Path.Combine(root, "containerize")}'.");
        }
        if ((entry.Permissions & GroupAndOthers) != 0)
        {
            LibC.Chmod(folder, OwnerOnly);
            log.Warning(ErrorCodes.StoreMadePrivate,
                $"The image store {where} could be entered by other users (mode {Octal(entry.Permissions)}), and the images unpacked in it may hold "
                + "setuid programs and device nodes they could use. Its mode is now 0700: only you can enter it.");
        }
    }

    private static string Octal(int permissions) => "0" + Convert.ToString(permissions, 8).PadLeft(3, '0');
}
