namespace Containerize.Engine.Oci;

/// <summary>The <c>NAME=VALUE</c> entries of an image config's <c>Env</c> (an entry without '=' is a bare name).</summary>
public static class EnvironmentEntries
{
    public static string Name(string entry)
    {
        int equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? entry : entry[..equals];
    }

    public static string Value(string entry)
    {
        int equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? "" : entry[(equals + 1)..];
    }

    /// <summary>Sets a variable: replaces the entry of that name where it stands, or appends one.</summary>
    public static void Set(List<string> entries, string name, string value)
    {
        int index = entries.FindIndex(e => Name(e) == name);
        if (index >= 0) entries[index] = $"{name}={value}"; else entries.Add($"{name}={value}");
    }
}
