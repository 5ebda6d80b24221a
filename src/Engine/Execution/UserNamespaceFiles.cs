using System.Diagnostics;
using System.Globalization;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.HelperProtocol;

namespace Containerize.Engine.Execution;

/// <summary>One entry of a tree as the container sees it: owner, permission bits and file capability.</summary>
public sealed record ContainerFileOwner(string Path, long Uid, long Gid, int Mode, byte[]? Capability = null);

/// <summary>
/// File work an ordinary user cannot do on the host but can as root of a user namespace with the
/// RUN containers' mapping: the helper (<c>containerize-helper chown|own|remove</c>) runs under
/// <c>unshare --user</c> (ids mapped with newuidmap/newgidmap, or <c>--map-root-user</c> with one id)
/// and changes the tree there. Only for builds that are not root; failures are CTZ7007.
/// </summary>
public sealed class UserNamespaceFiles
{
    private readonly HelperLocation? _helper;

    public UserNamespaceFiles(UserNamespaceMapping mapping, HelperLocation? helper = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if (mapping.Kind == UserNamespaceKind.None) throw new ArgumentException("Root needs no user namespace to change owners.", nameof(mapping));
        Mapping = mapping;
        _helper = helper;
    }

    /// <summary>The namespace work a build needs: none as root.</summary>
    public static UserNamespaceFiles? For(UserNamespaceMapping mapping, HelperLocation? helper = null) =>
        mapping.Kind == UserNamespaceKind.None ? null : new UserNamespaceFiles(mapping, helper);

    public UserNamespaceMapping Mapping { get; }

    /// <summary>Whether ids other than container root exist (a subordinate range); with one id, every file belongs to root.</summary>
    public bool MapsOtherIds => Mapping.Kind == UserNamespaceKind.SubordinateRange;

    /// <summary>
    /// Names the mapping, for a store folder per mapping: a tree unpacked under one range of host
    /// ids shows other owners under another (another user, a changed /etc/subuid).
    /// </summary>
    public string Key => Mapping.Kind == UserNamespaceKind.SubordinateRange
        ? string.Create(CultureInfo.InvariantCulture, $"u{Mapping.HostUid}+{Mapping.SubUidStart}x{Mapping.SubUidCount}-g{Mapping.HostGid}+{Mapping.SubGidStart}x{Mapping.SubGidCount}")
        : string.Create(CultureInfo.InvariantCulture, $"u{Mapping.HostUid}-g{Mapping.HostGid}");

    /// <summary>Gives the entries of <paramref name="directory"/> their owners, modes and capabilities, inside the namespace.</summary>
    public async Task ApplyOwnersAsync(string directory, IReadOnlyList<ContainerFileOwner> owners, CancellationToken cancellationToken)
    {
        if (owners.Count == 0) return;
        string scratch = ScratchDirectory.CreatePrivate("ctz-userns-");
        try
        {
            string records = Path.Combine(scratch, "records");
            await File.WriteAllBytesAsync(records, HelperOwnerRecords.Encode(owners.Select(o => new HelperOwnerRecord(o.Path, checked((uint)o.Uid), checked((uint)o.Gid), o.Mode, o.Capability))), cancellationToken).ConfigureAwait(false);
            await RunHelperAsync([HelperCommands.ApplyOwners, Path.GetFullPath(directory), records], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ScratchDirectory.DeleteTree(scratch);
        }
    }

    /// <summary>
    /// Makes every entry of <paramref name="directory"/> container root's (the user's) with owner
    /// read permission, and returns what the changed entries had, by path relative to the directory.
    /// When the user can already read the whole tree (the usual case: files with the usual modes,
    /// whatever their owner), nothing is changed and nothing returned: the owners the user sees are
    /// then translated back through the mapping, which saves a namespace and a helper start per step.
    /// </summary>
    public Task<IReadOnlyDictionary<string, ContainerFileOwner>> TakeOwnershipAsync(string directory, CancellationToken cancellationToken) =>
        TakeOwnershipAsync(directory, evenIfReadable: false, cancellationToken);

    internal async Task<IReadOnlyDictionary<string, ContainerFileOwner>> TakeOwnershipAsync(string directory, bool evenIfReadable, CancellationToken cancellationToken)
    {
        if (!evenIfReadable && IsReadable(Path.GetFullPath(directory))) return new Dictionary<string, ContainerFileOwner>();
        string scratch = ScratchDirectory.CreatePrivate("ctz-userns-");
        try
        {
            string records = Path.Combine(scratch, "records");
            await RunHelperAsync([HelperCommands.TakeOwnership, Path.GetFullPath(directory), records], cancellationToken).ConfigureAwait(false);
            return HelperOwnerRecords.Decode(await File.ReadAllBytesAsync(records, cancellationToken).ConfigureAwait(false))
                .Select(r => new ContainerFileOwner(r.Path, r.Uid, r.Gid, r.Mode, r.Capability)).ToDictionary(o => o.Path, StringComparer.Ordinal);
        }
        finally
        {
            ScratchDirectory.DeleteTree(scratch);
        }
    }

    /// <summary>Whether this process can list every directory and read every file below <paramref name="directory"/> (access(2), so ACLs count).</summary>
    private static bool IsReadable(string directory)
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(directory))
        {
            var kind = IO.Native.LibC.TryStatx(path)?.Kind;
            if (kind == IO.Native.UnixFileKind.Directory)
            {
                if (access(path, R_OK | X_OK) != 0 || !IsReadable(path)) return false;
            }
            else if (kind == IO.Native.UnixFileKind.RegularFile && access(path, R_OK) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private const int R_OK = 4, X_OK = 1;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int access(string path, int mode);

    /// <summary>Removes a tree, first as the user, then inside the namespace for what belongs to subordinate ids. Never throws.</summary>
    public async Task RemoveTreeAsync(string directory)
    {
        ScratchDirectory.DeleteTree(directory);
        if (!Path.Exists(directory)) return;
        try
        {
            await RunHelperAsync([HelperCommands.Remove, Path.GetFullPath(directory)], CancellationToken.None).ConfigureAwait(false);
        }
        catch (ContainerizeException)
        {
            // Cleanup must not hide the outcome of the build; a leftover only costs disk space.
        }
    }

    /// <summary>Removes <paramref name="directory"/> (see <see cref="RemoveTreeAsync"/>) when disposed: after the work in it, also on failure and cancel.</summary>
    public IAsyncDisposable RemovalOf(string directory) => new Removal(this, directory);

    private sealed class Removal(UserNamespaceFiles files, string directory) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(files.RemoveTreeAsync(directory));
    }

    /// <summary>Synchronous <see cref="RemoveTreeAsync"/>, for cleanup outside async code.</summary>
    public void RemoveTree(string directory) => RemoveTreeAsync(directory).GetAwaiter().GetResult();

    private async Task RunHelperAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var helper = _helper ?? HelperLocation.Find();
        string unshare = ExecutableSearch.Find("unshare", "/usr/bin", "/bin")
            ?? throw new ContainerizeException(ErrorCodes.ContainerHelperNotFound, "RUN steps need util-linux's unshare, which is not on PATH: install util-linux.");
        var start = helper.LaunchStartInfo(unshare);
        bool range = Mapping.Kind == UserNamespaceKind.SubordinateRange;
        start.ArgumentList.Add(range ? "--user" : "--map-root-user");
        start.ArgumentList.Add("--");
        if (range)
        {
            // As for RUN: the helper starts once newuidmap/newgidmap have mapped the ids, as root of the namespace.
            foreach (string a in new[] { "/bin/sh", "-c", $"read -r _ || exit {HelperFailureCodes.SetupFailedExitCode}; exec \"$@\"", "containerize-helper" }) start.ArgumentList.Add(a);
        }
        foreach (string part in helper.Command) start.ArgumentList.Add(part);
        foreach (string a in arguments) start.ArgumentList.Add(a);

        using var process = new Process { StartInfo = start };
        await ProcessLaunchThread.StartAsync(process).ConfigureAwait(false);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (range && await ContainerRunner.MapIdsAsync(process, Mapping, cancellationToken).ConfigureAwait(false))
            {
                await ContainerRunner.Go(process).ConfigureAwait(false);
            }
            ContainerRunner.CloseInput(process);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        string text = ((await output.ConfigureAwait(false)) + (await error.ConfigureAwait(false))).Trim();
        if (process.ExitCode == 0) return;
        string message = HelperFailureCodes.MessageInOutput(text) ?? throw ContainerRunner.NamespaceFailure(process.ExitCode, text);
        throw new ContainerizeException(ErrorCodes.LayerUnpackInNamespaceFailed,
            $"containerize-helper {arguments[0]} {arguments[1]} failed in the build's user namespace ({Mapping.Kind}): {message}");
    }
}
