namespace Containerize.Engine.Registry;

/// <summary>Token scopes of Docker token authentication: <c>repository:&lt;name&gt;:&lt;actions&gt;</c>.</summary>
internal static class RepositoryScope
{
    public static string Pull(string repository) => $"repository:{repository}:pull";

    public static string PullPush(string repository) => $"repository:{repository}:pull,push";
}
