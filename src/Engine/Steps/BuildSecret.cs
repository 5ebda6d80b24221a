namespace Containerize.Engine.Steps;

/// <summary>
/// Where the value of a build secret (<c>RUN --mount=type=secret,id=…</c>) comes from: a file or an
/// environment variable of the building process, like <c>docker build --secret id=x,src=…</c> and
/// <c>--secret id=x,env=…</c>. Only the source is held here; the value is read when a step mounts it.
/// </summary>
public sealed record BuildSecret
{
    private BuildSecret(string? filePath, string? environmentVariable)
    {
        FilePath = filePath;
        EnvironmentVariable = environmentVariable;
    }

    /// <summary>The file whose content is the secret (must exist when the build starts).</summary>
    public string? FilePath { get; }

    /// <summary>The environment variable whose value is the secret (read when the step runs).</summary>
    public string? EnvironmentVariable { get; }

    public static BuildSecret FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new BuildSecret(path, null);
    }

    public static BuildSecret FromEnvironment(string variable)
    {
        ArgumentException.ThrowIfNullOrEmpty(variable);
        return new BuildSecret(null, variable);
    }

    /// <summary>Names the source for messages; never the value.</summary>
    public override string ToString() => FilePath is not null ? $"file {FilePath}" : $"environment variable {EnvironmentVariable}";
}
