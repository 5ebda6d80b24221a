using System.Text.Json;
using System.Text.RegularExpressions;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// The exec (JSON) form: an argument text that is a JSON array of strings. Text that is not
/// valid JSON is simply not the JSON form; a valid array holding anything but strings is an error.
/// </summary>
public static partial class JsonArrayForm
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 10000 };

    public enum Outcome { NotJson, Strings, NotStringArray }

    public static Outcome TryParse(string text, out List<string> values)
    {
        values = [];
        string trimmed = text.TrimStart();
        if (!trimmed.StartsWith('[')) return Outcome.NotJson;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(trimmed, Options);
        }
        catch (JsonException)
        {
            return Outcome.NotJson;
        }
        catch (ArgumentException)
        {
            return Outcome.NotJson;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array) return Outcome.NotJson;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String) return Outcome.NotStringArray;
                values.Add(DecodeString(element));
            }
        }
        return Outcome.Strings;
    }

    // Go's decoder turns a lone surrogate escape into U+FFFD where System.Text.Json refuses it.
    private static string DecodeString(JsonElement element)
    {
        try
        {
            return element.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            string cleaned = SurrogateEscape().Replace(element.GetRawText(), "\\uFFFD");
            using var retry = JsonDocument.Parse(cleaned);
            return retry.RootElement.GetString() ?? "";
        }
    }

    [GeneratedRegex(@"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")]
    private static partial Regex SurrogateEscape();
}
