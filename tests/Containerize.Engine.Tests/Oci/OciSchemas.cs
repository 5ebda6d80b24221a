using System.Collections.Concurrent;
using System.Text;
using Containerize.TestSupport;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Containerize.Engine.Tests.Oci;

/// <summary>
/// The official OCI JSON Schemas (tests/conformance/oci/schema), loaded with NJsonSchema.
/// Their $refs name sibling files ("defs-descriptor.json#/…"), which NJsonSchema resolves against the file's own path
/// (the https ids need no mapping: TheOfficialSchemaCheckRejectsABrokenManifest fails on a pattern two files away).
/// </summary>
internal static class OciSchemas
{
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Loaded = new();

    public static JsonSchema Get(string file) =>
        Loaded.GetOrAdd(file, f => new Lazy<JsonSchema>(() =>
            JsonSchema.FromFileAsync(ConformanceData.PathOf("oci", "schema", f)).GetAwaiter().GetResult())).Value;

    /// <summary>Validation errors of a JSON document against a schema file, one readable line each.</summary>
    public static IReadOnlyList<string> Errors(string file, byte[] document) =>
        Flatten(Get(file).Validate(Encoding.UTF8.GetString(document))).ToList();

    private static IEnumerable<string> Flatten(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(e => e is ChildSchemaValidationError child
            ? child.Errors.Values.SelectMany(Flatten).Prepend($"{e.Path ?? "$"}: {e.Kind}")
            : [$"{e.Path ?? "$"}: {e.Kind}"]);
}
