using System.Text.Json;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>One entry of <c>lex-cases.json</c> <c>cases</c>: upstream's lex_test.go tables.</summary>
public sealed record LexCase(
    string Id,
    string Operation,
    string Input,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string? Expected,
    string? ErrorContains,
    IReadOnlyList<string>? Matched,
    IReadOnlyList<string>? Unmatched)
{
    public static LexCase From(JsonElement element) => new(
        element.GetProperty("id").GetString()!,
        element.GetProperty("op").GetString()!,
        element.GetProperty("input").GetString()!,
        element.GetProperty("env").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList(),
        element.GetProperty("expected_error").GetBoolean() ? null : element.GetProperty("expected").GetString(),
        element.TryGetProperty("error_contains", out var contains) ? contains.GetString() : null,
        StringsOrNull(element, "matched"),
        StringsOrNull(element, "unmatched"));

    private static IReadOnlyList<string>? StringsOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : null;
}
