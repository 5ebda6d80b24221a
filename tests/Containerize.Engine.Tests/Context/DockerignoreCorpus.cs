using System.Text.Json;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Context;

/// <summary>tests/conformance/dockerignore/cases.json, its sections keyed by case id.</summary>
internal static class DockerignoreCorpus
{
    private static readonly Lazy<JsonDocument> Document = new(() => ConformanceData.LoadJson("dockerignore", "cases.json"));

    private static readonly Lazy<Dictionary<string, Dictionary<string, JsonElement>>> Sections = new(() =>
        Document.Value.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Array && p.Name.EndsWith("_cases", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!)));

    public static IReadOnlyDictionary<string, JsonElement> Section(string name) => Sections.Value[name];

    public static TestDataRow<string> Row(string id, string shown) =>
        new(id) { DisplayName = $"{id} {(shown.Length > 60 ? shown[..57] + "..." : shown)}" };

    public static string[] Strings(JsonElement c, string property) =>
        c.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [];

    public static bool Flag(JsonElement c, string property) =>
        c.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;
}
