using System.Text.Json;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>Access to <c>buildkit-parser-extra/cases.json</c> and its Dockerfiles.</summary>
internal static class ExtraCases
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(ConformanceData.ReadBytes("buildkit-parser-extra", "cases.json")).RootElement);

    public static JsonElement Section(params string[] path)
    {
        var element = Root.Value;
        foreach (string part in path) element = element.GetProperty(part);
        return element;
    }

    public static string Dockerfile(string relative) =>
        File.ReadAllText(ConformanceData.PathOf("buildkit-parser-extra", relative));

    public static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    /// <summary>Fails listing every case that did not hold, after running all of them.</summary>
    public static void AssertNoFailures(List<string> failures, int total)
    {
        Assert.IsTrue(total > 0, "no case ran");
        if (failures.Count > 0) Assert.Fail($"{failures.Count} of {total} cases failed:\n" + string.Join("\n", failures));
    }
}
