using System.Text.Json;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Oci;

/// <summary>
/// distribution/reference's own test tables (tests/conformance/references), one test per case.
/// Cases for APIs we do not offer are left out of the data source; <see cref="NotApplicable"/> lists them with the reason.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class ReferenceConformanceTests
{
    private static readonly Lazy<(Dictionary<string, JsonElement> Cases, Dictionary<string, JsonElement> Grammar)> Corpus = new(Load);

    private const string NoDigestOnlyReference =
        "a bare image ID or digest is not an image reference in Containerize (no digest-only reference kind)";

    private const string NoFamiliarMatch = "Containerize has no glob matching of references (distribution's FamiliarMatch)";

    /// <summary>Corpus cases left out of <see cref="CaseIds"/>, with the reason; checked by <see cref="NotApplicableCasesAreExactlyTheExcludedOnes"/>.</summary>
    private static readonly Dictionary<string, string> NotApplicable = new()
    {
        ["ref-207"] = NoDigestOnlyReference,
        ["ref-208"] = NoDigestOnlyReference,
        ["ref-222"] = NoFamiliarMatch,
        ["ref-223"] = NoFamiliarMatch,
        ["ref-224"] = NoFamiliarMatch,
        ["ref-225"] = NoFamiliarMatch,
        ["ref-226"] = NoFamiliarMatch,
        ["ref-227"] = NoFamiliarMatch,
        ["ref-228"] = NoFamiliarMatch,
        ["ref-229"] = NoFamiliarMatch,
        ["ref-230"] = NoFamiliarMatch,
        ["ref-231"] = NoFamiliarMatch,
    };

    public static IEnumerable<TestDataRow<string>> CaseIds =>
        Corpus.Value.Cases.Values.Where(c => !NotApplicable.ContainsKey(Id(c))).Select(c => Row(c, c.GetProperty("api").GetString()!, Text(c, "input") ?? Text(c, "name") ?? Text(c, "reference")));

    public static IEnumerable<TestDataRow<string>> GrammarIds =>
        Corpus.Value.Grammar.Values.Select(c => Row(c, c.GetProperty("grammar").GetString()!, Text(c, "input")));

    [TestMethod]
    [DynamicData(nameof(CaseIds))]
    public void ReferenceCase(string id)
    {
        var c = Corpus.Value.Cases[id];
        bool mustFail = c.GetProperty("error").ValueKind != JsonValueKind.Null;
        var expected = c.TryGetProperty("expected", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        switch (c.GetProperty("api").GetString())
        {
            case "Parse": CheckParse(c, mustFail, expected); break;
            case "WithName": CheckWithName(Text(c, "input")!, mustFail, expected); break;
            case "JSONField": CheckJsonField(Text(c, "input")!, mustFail, expected); break;
            case "WithTag": CheckWithTagOrDigest(c, mustFail, expected, tagLast: true); break;
            case "WithDigest": CheckWithTagOrDigest(c, mustFail, expected, tagLast: false); break;
            case "ParseNamed": CheckParseNamed(Text(c, "input")!, mustFail, expected); break;
            case "ParseNormalizedNamed": CheckParseNormalizedNamed(Text(c, "input")!, mustFail, expected); break;
            case "ParseAnyReference":
                // ParseAnyReference falls back to ParseNormalizedNamed for everything that is not an ID.
                CheckParseNormalizedNamed(Text(c, "input")!, mustFail, expected);
                break;
            case "ParseDockerRef":
                Assert.AreEqual(Text(expected, "string"), ImageReference.ParseDockerRef(Text(c, "input")!).ToString());
                break;
            default:
                Assert.Fail($"unknown api in the corpus: {c.GetProperty("api")}");
                break;
        }
    }

    [TestMethod]
    public void NotApplicableCasesAreExactlyTheExcludedOnes()
    {
        // Recomputed from the corpus, so a new, renumbered or removed case shows up here.
        var reasons = Corpus.Value.Cases.Values
            .Select(c => (Id: Id(c), Reason: c.GetProperty("api").GetString() switch
            {
                "FamiliarMatch" => NoFamiliarMatch,
                "ParseAnyReference" when c.TryGetProperty("expected", out var e) && Text(e, "kind") == "digest-only" => NoDigestOnlyReference,
                _ => null,
            }))
            .Where(c => c.Reason is not null)
            .ToDictionary(c => c.Id, c => c.Reason!);

        CollectionAssert.AreEquivalent(NotApplicable.ToList(), reasons.ToList());
        Assert.HasCount(12, NotApplicable);
        Assert.AreEqual(Corpus.Value.Cases.Count - NotApplicable.Count, CaseIds.Count());
    }

    [TestMethod]
    [DynamicData(nameof(GrammarIds))]
    public void GrammarCase(string id)
    {
        var c = Corpus.Value.Grammar[id];
        string input = Text(c, "input")!;
        bool expectMatch = c.GetProperty("match").GetBoolean();
        var (regex, groups) = c.GetProperty("grammar").GetString() switch
        {
            "domain" => (ReferenceGrammar.AnchoredDomain(), Array.Empty<string>()),
            "full-name" => (ReferenceGrammar.AnchoredName(), ["domain", "path"]),
            "reference" => (ReferenceGrammar.AnchoredReference(), ["name", "tag", "digest"]),
            "identifier" => (ReferenceGrammar.AnchoredIdentifier(), Array.Empty<string>()),
            var other => throw new AssertFailedException($"unknown grammar {other}"),
        };
        var match = regex.Match(input);
        Assert.AreEqual(expectMatch, match.Success, $"'{input}'");
        if (match.Success && c.TryGetProperty("subs", out var subs) && subs.ValueKind == JsonValueKind.Array)
        {
            string[] expectedSubs = subs.EnumerateArray().Select(s => s.GetString()!).ToArray();
            CollectionAssert.AreEqual(expectedSubs, groups.Select(g => match.Groups[g].Value).ToArray());
        }
    }

    private static void CheckParse(JsonElement c, bool mustFail, JsonElement expected)
    {
        string input = Text(c, "input")!;
        bool ok = RawReference.TryParse(input, out var reference, out string? problem);
        if (c.TryGetProperty("implementation_defined", out _))
        {
            // sha512 is an OCI-registered algorithm: we accept it where the upstream digest library may not.
            Assert.IsTrue(ok, problem);
            Assert.AreEqual(input, reference.ToString());
            return;
        }
        Assert.AreEqual(!mustFail, ok, problem ?? "parsed, but the corpus expects an error");
        if (mustFail) return;
        Assert.AreEqual(Text(expected, "string"), reference.ToString());
        Assert.AreEqual(Text(expected, "name"), reference.Name);
        Assert.AreEqual(Text(expected, "domain"), reference.Domain);
        Assert.AreEqual(Text(expected, "tag"), reference.Tag ?? "");
        Assert.AreEqual(Text(expected, "digest"), reference.Digest ?? "");
    }

    private static void CheckWithName(string input, bool mustFail, JsonElement expected)
    {
        if (mustFail)
        {
            Assert.ThrowsExactly<ContainerizeException>(() => RawReference.ParseName(input));
            return;
        }
        var name = RawReference.ParseName(input);
        Assert.AreEqual(Text(expected, "domain"), name.Domain);
        Assert.AreEqual(Text(expected, "path"), name.Path);
    }

    private sealed record Holder(RawReference Field);

    private static void CheckJsonField(string input, bool mustFail, JsonElement expected)
    {
        string json = JsonSerializer.Serialize(new { Field = input });
        if (mustFail)
        {
            Assert.ThrowsExactly<JsonException>(() => JsonSerializer.Deserialize<Holder>(json));
            return;
        }
        var holder = JsonSerializer.Deserialize<Holder>(json)!;
        Assert.AreEqual(Text(expected, "name"), holder.Field.Name);
        Assert.AreEqual(Text(expected, "tag"), holder.Field.Tag ?? "");
        Assert.AreEqual(Text(expected, "digest"), holder.Field.Digest ?? "");
        Assert.AreEqual(json, JsonSerializer.Serialize(holder));
    }

    private static void CheckWithTagOrDigest(JsonElement c, bool mustFail, JsonElement expected, bool tagLast)
    {
        string name = Text(c, "name")!;
        string tag = Text(c, "tag") ?? "";
        string digest = Text(c, "digest") ?? "";
        bool normalized = c.TryGetProperty("normalized", out var n) && n.GetBoolean();
        Func<string> apply = normalized
            ? () =>
            {
                var r = ImageReference.ParseNormalizedNamed(name);
                if (tag.Length > 0) r = r.WithTag(tag);
                if (digest.Length > 0) r = r.WithDigest(Digest.Parse(digest));
                return r.ToString();
            }
            : () =>
            {
                var r = RawReference.ParseName(name);
                if (!tagLast && tag.Length > 0) r = r.WithTag(tag);
                if (digest.Length > 0) r = r.WithDigest(digest);
                if (tagLast && tag.Length > 0) r = r.WithTag(tag);
                return r.ToString();
            };
        if (mustFail)
        {
            Assert.ThrowsExactly<ContainerizeException>(() => apply());
            return;
        }
        Assert.AreEqual(Text(expected, "string"), apply());
    }

    private static void CheckParseNamed(string input, bool mustFail, JsonElement expected)
    {
        // ParseNamed = ParseNormalizedNamed, accepted only when the input is already in canonical form.
        bool canonical = ImageReference.TryParseNormalizedNamed(input, out var reference, out _) && reference.ToString() == input;
        Assert.AreEqual(!mustFail, canonical);
        if (mustFail) return;
        Assert.AreEqual(Text(expected, "domain"), reference.Registry);
        Assert.AreEqual(Text(expected, "path"), reference.Repository);
    }

    private static void CheckParseNormalizedNamed(string input, bool mustFail, JsonElement expected)
    {
        bool ok = ImageReference.TryParseNormalizedNamed(input, out var reference, out string? problem);
        Assert.AreEqual(!mustFail, ok, problem ?? "parsed, but the corpus expects an error");
        if (mustFail || expected.ValueKind != JsonValueKind.Object) return;
        foreach (var field in expected.EnumerateObject())
        {
            string? actual = field.Name switch
            {
                "string" => reference.ToString(),
                "familiar_name" => reference.ToFamiliarName(),
                "familiar_string" => reference.ToFamiliarString(),
                "domain" => reference.Registry,
                "path" => reference.Repository,
                "tag" => reference.Tag ?? "",
                "digest" => reference.Digest?.ToString() ?? "",
                _ => throw new AssertFailedException($"unknown expected field {field.Name}"),
            };
            Assert.AreEqual(field.Value.GetString(), actual, field.Name);
        }
    }

    private static string? Text(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Id(JsonElement c) => c.GetProperty("id").GetString()!;

    private static TestDataRow<string> Row(JsonElement c, string kind, string? input)
    {
        string id = Id(c);
        string shown = input is null ? "" : input.Length > 60 ? input[..57] + "..." : input;
        return new TestDataRow<string>(id) { DisplayName = $"{id} {kind} '{shown}'" };
    }

    private static (Dictionary<string, JsonElement>, Dictionary<string, JsonElement>) Load()
    {
        using var doc = ConformanceData.LoadJson("references", "cases.json");
        var root = doc.RootElement.Clone();
        return (
            root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!),
            root.GetProperty("grammar_cases").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!));
    }
}
