namespace Containerize.Engine.Copy;

/// <summary>
/// An ADD source word that names something to fetch instead of a path in the context. As in
/// BuildKit's Dockerfile frontend, a word is first tried as a git reference, then as an http(s)
/// URL; anything else is a local path.
/// </summary>
internal abstract record RemoteSource(string Word)
{
    public static RemoteSource? TryParse(string word) =>
        (RemoteSource?)GitSource.TryParse(word) ?? HttpSource.TryParse(word);

    /// <summary>The word with any password in it masked, for messages.</summary>
    public string Display => HttpSource.Redact(Word);
}
