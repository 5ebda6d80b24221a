using System.Globalization;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Execution;

/// <summary>
/// Why <c>unshare</c> could not create the step's namespaces, told from its error and from what this
/// process can read about itself: the per-user-namespace limits <c>user.max_*_namespaces</c>
/// (ENOSPC; a user namespace can lower them for everything below it), the sysctls and AppArmor
/// switch that forbid unprivileged user namespaces, a seccomp filter around this process (a
/// container's default profile), or root without CAP_SYS_ADMIN (a container's default capabilities).
/// Each cause comes with its remedy (CTZ7001).
/// </summary>
internal static class NamespaceRefusal
{
    private const int CapSysAdmin = 21;

    /// <summary>The namespaces the launcher asks for, by the name of their limit.</summary>
    private static readonly string[] Kinds = ["user", "mnt", "pid", "uts", "ipc", "net"];

    /// <summary>The error for unshare's (or the mapping's) failure; output is what it printed.</summary>
    public static ContainerizeException Diagnose(int exitCode, string output)
    {
        bool refused = output.Contains("unshare failed", StringComparison.Ordinal)
            || output.Contains("Operation not permitted", StringComparison.Ordinal)
            || output.Contains("write failed /proc/self/uid_map", StringComparison.Ordinal);
        if (!refused)
        {
            return new ContainerizeException(ErrorCodes.ContainerSetupFailed,
                $"The RUN helper did not start (exit code {exitCode}): {output.Trim()}");
        }
        var causes = new List<string>();
        if (output.Contains("No space left on device", StringComparison.Ordinal))
        {
            causes.Add(LimitCause());
        }
        else
        {
            if (!LibC.IsRoot && Read("/proc/sys/kernel/unprivileged_userns_clone") == "0")
            {
                causes.Add("kernel.unprivileged_userns_clone is 0, so ordinary users may not create user namespaces. "
                    + "Remedy: as root, sysctl -w kernel.unprivileged_userns_clone=1 (and put it in /etc/sysctl.d/ to keep it), or build as root");
            }
            if (!LibC.IsRoot && Read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1")
            {
                causes.Add("AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1, as on Ubuntu 23.10 and later). "
                    + "Remedy: give dotnet an AppArmor profile that allows them (a profile in /etc/apparmor.d/ with the rule 'userns,'), "
                    + "or, as root, sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or build as root");
            }
            if (Status("Seccomp") is { } seccomp && seccomp != "0")
            {
                causes.Add("this process runs under a seccomp filter (such as a container's default profile), which refuses unshare if it is Docker's default. "
                    + "Remedy: run the build's container with a profile that allows unshare, mount and pivot_root "
                    + "(docker run --security-opt seccomp=unconfined, or --privileged), or build outside the container");
            }
            if (LibC.IsRoot && !HasCapability(Status("CapEff"), CapSysAdmin))
            {
                causes.Add("this process is root but without CAP_SYS_ADMIN (a container's default capabilities), which mount namespaces need. "
                    + "Remedy: run the build's container with --cap-add SYS_ADMIN (and a seccomp and AppArmor profile that allow mount) or --privileged");
            }
        }
        if (causes.Count == 0)
        {
            causes.Add("the kernel or a security policy refuses new namespaces. "
                + "Remedy: allow unprivileged user namespaces (kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0, "
                + "no AppArmor userns restriction), build as root, or, inside a container, give it a seccomp and AppArmor profile that allow unshare and mount");
        }
        return new ContainerizeException(ErrorCodes.NamespacesNotPermitted,
            $"RUN steps need Linux namespaces, which this process may not create: {string.Join("; also ", causes)}. unshare said: {output.Trim()}");
    }

    /// <summary>ENOSPC: a max_*_namespaces limit of this process's user namespace (or one above it) is 0 or used up.</summary>
    private static string LimitCause()
    {
        foreach (string kind in Kinds)
        {
            if (Read($"/proc/sys/user/max_{kind}_namespaces") == "0")
            {
                return $"user.max_{kind}_namespaces is 0 for this process's user namespace, so it may not create {Noun(kind)}. "
                    + $"Remedy: as root, sysctl -w user.max_{kind}_namespaces=15000 (and put it in /etc/sysctl.d/ to keep it); "
                    + "if the build runs inside a user namespace or container that lowered the limit, raise it where it was lowered";
            }
        }
        string limits = string.Join(", ", Kinds.Select(k => $"user.max_{k}_namespaces={Read($"/proc/sys/user/max_{k}_namespaces") ?? "?"}"));
        return $"a namespace limit is used up ({limits}; the limits of enclosing user namespaces count too). "
            + "Remedy: raise the limit that is reached (sysctl -w user.max_<kind>_namespaces=N as root), or end processes that hold namespaces";
    }

    private static string Noun(string kind) => kind switch
    {
        "user" => "user namespaces (which RUN steps need when not building as root)",
        "mnt" => "mount namespaces (which every RUN step needs)",
        "net" => "network namespaces (which RUN --network=none needs)",
        _ => $"{kind} namespaces (which every RUN step needs)",
    };

    private static bool HasCapability(string? hexMask, int capability) =>
        hexMask is not null && ulong.TryParse(hexMask, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask) && (mask & (1UL << capability)) != 0;

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>A field of /proc/self/status (Seccomp, CapEff, ...).</summary>
    private static string? Status(string field)
    {
        foreach (string line in (Read("/proc/self/status") ?? "").Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal)) return line[(field.Length + 1)..].Trim();
        }
        return null;
    }
}
