namespace Containerize.Engine.Copy;

/// <summary>
/// A remote source brought to the host: the downloaded file or the checked-out directory, inside a
/// temporary directory of its own. <see cref="ClampSeconds"/> bounds the entries' times (a git
/// checkout's files all take the commit's time, since checkout times say nothing about the content).
/// </summary>
internal sealed record FetchedSource(RemoteSource Source, string HostPath, string TemporaryDirectory, long? ClampSeconds = null)
{
    public bool IsDirectory => Source is GitSource;

    /// <summary>The name a downloaded file gets below a directory destination.</summary>
    public string Name => Source is HttpSource http ? http.FileName : "";
}
