using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Oci;

/// <summary>
/// Reads and writes image documents. Output is compact and deterministic (declared property
/// order, sorted maps), because a document's digest is the hash of its exact bytes.
/// </summary>
public static class OciJson
{
    /// <summary>The contracts of <see cref="OciJsonContext"/>, bound to the options every document is written with.</summary>
    internal static readonly OciJsonContext Context = new(NewOptions());

    /// <summary>The options every document is written with (compact, relaxed escaping), for a context of another folder's documents.</summary>
    internal static JsonSerializerOptions NewOptions() => new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Read-only options that resolve only the types of <see cref="OciJsonContext"/>; any other type throws NotSupportedException.</summary>
    public static JsonSerializerOptions Options => Context.Options;

    public static byte[] Serialize<T>(T document) => JsonSerializer.SerializeToUtf8Bytes(document, TypeInfo<T>());

    /// <summary>A document of a type another folder's context holds, written the same way.</summary>
    internal static byte[] Serialize<T>(T document, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(document, typeInfo);

    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, TypeInfo<T>())
                ?? throw new ContainerizeException(ErrorCodes.InvalidImageDocument, $"The {what} is empty (JSON null).");
        }
        catch (JsonException e)
        {
            throw new ContainerizeException(ErrorCodes.InvalidImageDocument, $"The {what} is not valid: {e.Message}", e);
        }
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Context.Options.GetTypeInfo(typeof(T));
}
