using System.Text.Json;

namespace Containerize.TestSupport;

/// <summary>Compares JSON documents by meaning: member order and number spelling do not matter.</summary>
public static class JsonSemantics
{
    /// <summary>The differences, each with its JSON path; empty when equal.</summary>
    /// <param name="nullEqualsAbsent">Treat a member whose value is null like a missing member.</param>
    public static IReadOnlyList<string> Differences(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, bool nullEqualsAbsent = false)
    {
        using var e = JsonDocument.Parse(expected.ToArray());
        using var a = JsonDocument.Parse(actual.ToArray());
        var differences = new List<string>();
        Compare(e.RootElement, a.RootElement, "$", nullEqualsAbsent, differences);
        return differences;
    }

    private static void Compare(JsonElement e, JsonElement a, string path, bool nullEqualsAbsent, List<string> differences)
    {
        if (e.ValueKind != a.ValueKind)
        {
            differences.Add($"{path}: {e.ValueKind} became {a.ValueKind}");
            return;
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedMembers = Members(e, nullEqualsAbsent);
                var actualMembers = Members(a, nullEqualsAbsent);
                foreach (var (name, value) in expectedMembers)
                {
                    if (actualMembers.TryGetValue(name, out var other)) Compare(value, other, $"{path}.{name}", nullEqualsAbsent, differences);
                    else differences.Add($"{path}.{name}: lost");
                }
                foreach (string name in actualMembers.Keys.Except(expectedMembers.Keys)) differences.Add($"{path}.{name}: added");
                break;
            case JsonValueKind.Array:
                var expectedItems = e.EnumerateArray().ToArray();
                var actualItems = a.EnumerateArray().ToArray();
                if (expectedItems.Length != actualItems.Length) differences.Add($"{path}: {expectedItems.Length} items became {actualItems.Length}");
                for (int i = 0; i < Math.Min(expectedItems.Length, actualItems.Length); i++)
                {
                    Compare(expectedItems[i], actualItems[i], $"{path}[{i}]", nullEqualsAbsent, differences);
                }
                break;
            case JsonValueKind.Number:
                if (e.GetDecimal() != a.GetDecimal()) differences.Add($"{path}: {e.GetRawText()} became {a.GetRawText()}");
                break;
            case JsonValueKind.String:
                if (e.GetString() != a.GetString()) differences.Add($"{path}: \"{e.GetString()}\" became \"{a.GetString()}\"");
                break;
        }
    }

    private static Dictionary<string, JsonElement> Members(JsonElement e, bool nullEqualsAbsent) =>
        e.EnumerateObject()
            .Where(p => !nullEqualsAbsent || p.Value.ValueKind != JsonValueKind.Null)
            .ToDictionary(p => p.Name, p => p.Value);
}
