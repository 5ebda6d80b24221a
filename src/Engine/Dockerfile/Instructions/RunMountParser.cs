namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>
/// Parses a <c>--mount</c> value (CSV of <c>key=value</c> and bare boolean keys) into a typed
/// mount, with BuildKit's keys, aliases and defaults.
/// </summary>
internal static class RunMountParser
{
    public static RunMount Parse(string value)
    {
        var options = new Dictionary<string, string>();
        foreach (string field in CsvFields.Split(value))
        {
            int equals = field.IndexOf('=');
            string key = (equals < 0 ? field : field[..equals]).ToLowerInvariant();
            string? v = equals < 0 ? null : field[(equals + 1)..];
            string canonical = Canonical(key) ?? throw InstructionException.Mount($"unexpected key '{key}' in '{field}' of --mount={value}");
            if (v is null && canonical is not ("readonly" or "readwrite" or "required"))
                throw InstructionException.Mount($"--mount option '{key}' needs a value: write {key}=<value>");
            options[canonical] = canonical is "readonly" or "readwrite" or "required" ? Bool(key, v) : v!;
        }
        string type = options.GetValueOrDefault("type", "bind");
        var reader = new MountOptions(options, value);
        return type.ToLowerInvariant() switch
        {
            "bind" => new BindMount(reader.Get("target"), reader.Get("from"), reader.Get("source"), reader.IsTrue("readwrite")),
            "cache" => new CacheMount(reader.Target(type), reader.Get("id") ?? reader.Target(type), reader.Sharing(),
                reader.Get("from"), reader.Get("source"), reader.IsTrue("readonly"), reader.Mode(), reader.Number("uid"), reader.Number("gid")),
            "tmpfs" => new TmpfsMount(reader.Target(type), reader.Get("size")),
            "secret" => Secret(reader),
            // The default target, /run/buildkit/ssh_agent.<n>, counts the step's ssh mounts: the step sets it.
            "ssh" => new SshMount(reader.Get("id") ?? "default", reader.Get("target"),
                reader.IsTrue("required"), reader.Mode(), reader.Number("uid"), reader.Number("gid")),
            _ when type.Contains('$') => throw InstructionException.Mount($"--mount type must be written literally, not '{type}'"),
            _ => throw InstructionException.Mount($"unsupported mount type '{type}': use bind, cache, tmpfs, secret or ssh"),
        };
    }

    private static SecretMount Secret(MountOptions reader)
    {
        string? target = reader.Get("target");
        string? env = reader.Get("env");
        // As BuildKit: source (src) names the secret too, and wins over id.
        string? id = reader.Get("source") ?? reader.Get("id") ?? (target is null ? null : Path.GetFileName(target.TrimEnd('/')));
        if (id is null or "")
            throw InstructionException.Mount("a secret mount needs id=<name> (or a target to name it after)");
        if (target is null && env is null) target = "/run/secrets/" + Path.GetFileName(id);
        return new SecretMount(id, target, env, reader.IsTrue("required"), reader.Mode(), reader.Number("uid"), reader.Number("gid"));
    }

    private static string? Canonical(string key) => key switch
    {
        "type" or "from" or "id" or "sharing" or "mode" or "uid" or "gid" or "size" or "env" or "required" => key,
        "source" or "src" => "source",
        "target" or "dst" or "destination" => "target",
        "readonly" or "ro" => "readonly",
        "readwrite" or "rw" => "readwrite",
        _ => null,
    };

    private static string Bool(string key, string? value) => (value ?? "true").ToLowerInvariant() switch
    {
        "true" or "1" => "true",
        "false" or "0" => "false",
        _ => throw InstructionException.Mount($"--mount option '{key}' takes true or false, not '{value}'"),
    };
}
