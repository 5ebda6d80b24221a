using System.Text.Json;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// Finds a parser directive (<c>syntax</c>, <c>check</c>) before parsing, the way BuildKit's
/// frontend selection does: after an optional shebang line, from a whole-file JSON object, from
/// <c>#</c> directives, or (for <c>syntax</c>) from <c>//</c> directives.
/// </summary>
public static class ParserDirectiveDetection
{
    /// <summary>A found directive: its full value, the value's first word, and its 1-based line.</summary>
    public sealed record Found(string Value, string Reference, int Line);

    public static Found? Detect(string text, string name, bool allowSlashComments)
    {
        if (text.StartsWith('\uFEFF')) text = text[1..];
        int offset = 0;
        if (text.StartsWith("#!", StringComparison.Ordinal))
        {
            int newline = text.IndexOf('\n');
            text = newline < 0 ? "" : text[(newline + 1)..];
            offset = 1;
        }
        if (FromJson(text, name) is { } json) return new Found(json, FirstWord(json), offset);
        foreach (string prefix in allowSlashComments ? new[] { "#", "//" } : ["#"])
        {
            var directive = ParseAll(text, prefix).FirstOrDefault(d => d.Name == name);
            if (directive is not null) return new Found(directive.Value, FirstWord(directive.Value), directive.Line + offset);
        }
        return null;
    }

    /// <summary>The known directives at the top of <paramref name="text"/>; none when a directive repeats.</summary>
    public static IReadOnlyList<ParserDirective> ParseAll(string text, string commentPrefix = "#")
    {
        var reader = new ParserDirectiveReader(commentPrefix);
        string[] lines = text.Split('\n');
        try
        {
            for (int i = 0; i < lines.Length; i++) reader.Consider(lines[i].TrimEnd('\r'), i + 1, "");
        }
        catch (Diagnostics.ContainerizeException)
        {
            return [];
        }
        return reader.Parsed;
    }

    private static string? FromJson(string text, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string FirstWord(string value) =>
        value.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
}
