using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;

namespace Containerize.Engine.Context;

/// <summary>
/// Reads a .dockerignore as Docker does: a UTF-8 BOM is dropped; a line starting with '#' is a
/// comment; each line is trimmed and empty ones dropped; after an optional '!' (and the spaces
/// after it) the pattern is path-cleaned and one leading '/' removed, so "/a", "./a" and "a/" all
/// mean "a". The Dockerfile and the ignore file get no special treatment: the engine reads them
/// from disk, not through the context, so patterns that match them only keep them out of
/// COPY/ADD, as with BuildKit.
/// </summary>
public static class DockerignoreFile
{
    private const string DefaultName = ".dockerignore";

    /// <summary>The patterns in the file, or no patterns when there is no file.</summary>
    public static IgnorePatterns Read(string path)
    {
        string text;
        try
        {
            if (!File.Exists(path)) return IgnorePatterns.Empty;
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerizeException(ErrorCodes.IgnoreFileUnreadable,
                $"The ignore file could not be read ({e.Message}); check its permissions.", new SourceLocation(path), e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses ignore-file text; <paramref name="path"/> is only used in error locations.</summary>
    public static IgnorePatterns Parse(string text, string path) => IgnorePatterns.Compile(ReadLines(text, path));

    /// <summary>
    /// The ignore file BuildKit uses: "&lt;Dockerfile name&gt;.dockerignore" beside the Dockerfile
    /// when it exists, else ".dockerignore" at the context root, else null. A relative
    /// <paramref name="dockerfilePath"/> is taken relative to the context directory.
    /// </summary>
    public static string? Locate(string contextDirectory, string dockerfilePath)
    {
        string dockerfile = Path.GetFullPath(dockerfilePath, Path.GetFullPath(contextDirectory));
        string beside = dockerfile + DefaultName;
        if (File.Exists(beside)) return beside;
        string atRoot = Path.Combine(contextDirectory, DefaultName);
        return File.Exists(atRoot) ? atRoot : null;
    }

    /// <summary>The patterns as Docker's ignorefile reader returns them, "!" kept in front.</summary>
    internal static IEnumerable<PatternSource> ReadLines(string text, string path)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        string[] lines = text.Split('\n');
        for (int index = 0; index < lines.Length; index++)
        {
            string line = lines[index].EndsWith('\r') ? lines[index][..^1] : lines[index];
            if (line.StartsWith('#')) continue;
            string pattern = line.Trim();
            if (pattern.Length == 0) continue;

            int column = line.IndexOf(pattern[0]) + 1;
            bool isException = pattern[0] == '!';
            if (isException)
            {
                string rest = pattern[1..];
                pattern = rest.Trim();
                column += 1 + (rest.Length - rest.TrimStart().Length);
            }
            string body = pattern;
            if (body.Length > 0)
            {
                body = SlashPath.Clean(body);
                if (body.Length > 1 && body[0] == '/') body = body[1..];
            }
            // The '!' is put back right before the body, so the location is set one column before
            // the body: errors inside the body then point at the character the user wrote.
            var location = new SourceLocation(path, index + 1, isException ? column - 1 : column);
            yield return new PatternSource(isException ? "!" + body : body, location, Verbatim: body == pattern);
        }
    }
}
