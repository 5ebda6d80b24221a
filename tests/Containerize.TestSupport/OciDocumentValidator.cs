using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.TestSupport;

/// <summary>
/// A judge for the tests: checks an image document (manifest, index, config, descriptor, layout header) against
/// what the OCI image-spec requires: required fields, JSON types, media type and digest forms,
/// sizes, schemaVersion 2, descriptor and platform shapes. Docker's media types are accepted as
/// the same documents. Deliberately more lenient than the schema in one place: a manifest
/// without layers is accepted (the prose only says SHOULD, and registries serve such images).
/// </summary>
public static partial class OciDocumentValidator
{
    /// <summary>The problems found, each prefixed by the JSON path where it is; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(ReadOnlySpan<byte> json, string mediaType)
    {
        var problems = new List<string>();
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            return [$"$: not valid JSON ({e.Message})"];
        }
        using (document)
        {
            var root = document.RootElement;
            switch (mediaType)
            {
                case MediaTypes.OciManifest or MediaTypes.DockerManifest: CheckManifest(root, "$", problems); break;
                case MediaTypes.OciIndex or MediaTypes.DockerManifestList: CheckIndex(root, "$", problems); break;
                case MediaTypes.OciConfig or MediaTypes.DockerConfig: CheckConfig(root, "$", problems); break;
                case MediaTypes.OciDescriptor: CheckDescriptor(root, "$", problems); break;
                case MediaTypes.OciLayoutHeader: CheckLayoutHeader(root, "$", problems); break;
                default: problems.Add($"$: no validation rules for media type '{mediaType}'"); break;
            }
        }
        return problems;
    }

    /// <summary>Throws <see cref="ErrorCodes.InvalidImageDocument"/> listing the problems, if any.</summary>
    public static void EnsureValid(ReadOnlySpan<byte> json, string mediaType, string what)
    {
        var problems = Validate(json, mediaType);
        if (problems.Count > 0)
        {
            throw new ContainerizeException(ErrorCodes.InvalidImageDocument,
                $"The {what} is not a valid {mediaType} document: {string.Join("; ", problems)}.");
        }
    }

    private static void CheckManifest(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        CheckSchemaVersion(e, path, problems);
        Optional(e, "mediaType", path, problems, CheckMediaType);
        Optional(e, "artifactType", path, problems, CheckMediaType);
        Required(e, "config", path, problems, CheckDescriptor);
        Required(e, "layers", path, problems, (v, p, pr) => EachItem(v, p, pr, CheckDescriptor));
        Optional(e, "subject", path, problems, CheckDescriptor);
        Optional(e, "annotations", path, problems, CheckStringMap);
    }

    private static void CheckIndex(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        CheckSchemaVersion(e, path, problems);
        Optional(e, "mediaType", path, problems, CheckMediaType);
        Optional(e, "artifactType", path, problems, CheckMediaType);
        Required(e, "manifests", path, problems, (v, p, pr) => EachItem(v, p, pr, CheckDescriptor));
        Optional(e, "subject", path, problems, CheckDescriptor);
        Optional(e, "annotations", path, problems, CheckStringMap);
    }

    private static void CheckDescriptor(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        Required(e, "mediaType", path, problems, CheckMediaType);
        Required(e, "size", path, problems, CheckSize);
        Required(e, "digest", path, problems, CheckDigest);
        Optional(e, "urls", path, problems, (v, p, pr) => EachItem(v, p, pr, CheckUrl));
        Optional(e, "data", path, problems, CheckBase64);
        Optional(e, "artifactType", path, problems, CheckMediaType);
        Optional(e, "annotations", path, problems, CheckStringMap);
        Optional(e, "platform", path, problems, CheckPlatform);
    }

    private static void CheckPlatform(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        Required(e, "architecture", path, problems, CheckString);
        Required(e, "os", path, problems, CheckString);
        Optional(e, "os.version", path, problems, CheckString);
        Optional(e, "os.features", path, problems, (v, p, pr) => EachItem(v, p, pr, CheckString));
        Optional(e, "variant", path, problems, CheckString);
    }

    private static void CheckConfig(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        Optional(e, "created", path, problems, CheckDateTime);
        Optional(e, "author", path, problems, CheckString);
        Required(e, "architecture", path, problems, CheckString);
        Required(e, "os", path, problems, CheckString);
        Optional(e, "os.version", path, problems, CheckString);
        Optional(e, "os.features", path, problems, (v, p, pr) => EachItem(v, p, pr, CheckString));
        Optional(e, "variant", path, problems, CheckString);
        Optional(e, "config", path, problems, CheckContainerConfig);
        Required(e, "rootfs", path, problems, CheckRootFs);
        Optional(e, "history", path, problems, (v, p, pr) => EachItem(v, p, pr, CheckHistoryEntry));
    }

    private static void CheckContainerConfig(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        Optional(e, "User", path, problems, CheckString);
        Optional(e, "ExposedPorts", path, problems, OrNull(CheckObjectMap));
        Optional(e, "Env", path, problems, OrNull((v, p, pr) => EachItem(v, p, pr, CheckEnvEntry)));
        Optional(e, "Entrypoint", path, problems, OrNull((v, p, pr) => EachItem(v, p, pr, CheckString)));
        Optional(e, "Cmd", path, problems, OrNull((v, p, pr) => EachItem(v, p, pr, CheckString)));
        Optional(e, "Volumes", path, problems, OrNull(CheckObjectMap));
        Optional(e, "WorkingDir", path, problems, CheckString);
        Optional(e, "Labels", path, problems, OrNull(CheckStringMap));
        Optional(e, "StopSignal", path, problems, CheckString);
        Optional(e, "ArgsEscaped", path, problems, CheckBoolean);
    }

    private static void CheckRootFs(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        Required(e, "type", path, problems, (v, p, pr) =>
        {
            if (v.ValueKind != JsonValueKind.String || v.GetString() != "layers") pr.Add($"{p}: must be \"layers\"");
        });
        Required(e, "diff_ids", path, problems, (v, p, pr) => EachItem(v, p, pr, CheckDigest));
    }

    private static void CheckHistoryEntry(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        Optional(e, "created", path, problems, CheckDateTime);
        Optional(e, "author", path, problems, CheckString);
        Optional(e, "created_by", path, problems, CheckString);
        Optional(e, "comment", path, problems, CheckString);
        Optional(e, "empty_layer", path, problems, CheckBoolean);
    }

    private static void CheckLayoutHeader(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        Required(e, "imageLayoutVersion", path, problems, (v, p, pr) =>
        {
            if (v.ValueKind != JsonValueKind.String || v.GetString() != OciLayoutHeader.CurrentVersion)
            {
                pr.Add($"{p}: must be \"{OciLayoutHeader.CurrentVersion}\"");
            }
        });
    }

    private static void CheckSchemaVersion(JsonElement e, string path, List<string> problems) =>
        Required(e, "schemaVersion", path, problems, (v, p, pr) =>
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long version) || version != 2) pr.Add($"{p}: must be the integer 2");
        });

    private static void CheckMediaType(JsonElement e, string path, List<string> problems)
    {
        if (IsString(e, path, problems) && !MediaTypePattern().IsMatch(e.GetString()!))
        {
            problems.Add($"{path}: '{e.GetString()}' is not a media type (type/subtype)");
        }
    }

    private static void CheckSize(JsonElement e, string path, List<string> problems)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long size)) problems.Add($"{path}: must be an integer");
        else if (size < 0) problems.Add($"{path}: must not be negative");
    }

    /// <summary>The spec's digest grammar; for the algorithms OCI registers, the exact encoding too. Others are tolerated.</summary>
    private static void CheckDigest(JsonElement e, string path, List<string> problems)
    {
        if (!IsString(e, path, problems)) return;
        string text = e.GetString()!;
        if (!DigestPattern().IsMatch(text))
        {
            problems.Add($"{path}: '{text}' is not a digest (algorithm:encoded)");
            return;
        }
        int colon = text.IndexOf(':');
        int hexLength = text[..colon] switch { "sha256" => 64, "sha384" => 96, "sha512" => 128, _ => 0 };
        string encoded = text[(colon + 1)..];
        if (hexLength > 0 && (encoded.Length != hexLength || !encoded.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')))
        {
            problems.Add($"{path}: '{text}' must have {hexLength} lowercase hex digits");
        }
    }

    private static void CheckUrl(JsonElement e, string path, List<string> problems)
    {
        if (IsString(e, path, problems) && !Uri.TryCreate(e.GetString(), UriKind.Absolute, out _))
        {
            problems.Add($"{path}: '{e.GetString()}' is not an absolute URI");
        }
    }

    private static void CheckBase64(JsonElement e, string path, List<string> problems)
    {
        if (!IsString(e, path, problems)) return;
        string text = e.GetString()!;
        if (!Convert.TryFromBase64String(text, new byte[text.Length], out _)) problems.Add($"{path}: not valid (padded) base64");
    }

    private static void CheckDateTime(JsonElement e, string path, List<string> problems)
    {
        if (IsString(e, path, problems) &&
            !DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            problems.Add($"{path}: '{e.GetString()}' is not an RFC 3339 date-time");
        }
    }

    private static void CheckEnvEntry(JsonElement e, string path, List<string> problems)
    {
        if (IsString(e, path, problems) && e.GetString()!.IndexOf('=') <= 0)
        {
            problems.Add($"{path}: '{e.GetString()}' is not NAME=value");
        }
    }

    private static void CheckStringMap(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        foreach (var property in e.EnumerateObject()) IsString(property.Value, $"{path}.{property.Name}", problems);
    }

    private static void CheckObjectMap(JsonElement e, string path, List<string> problems)
    {
        if (!IsObject(e, path, problems)) return;
        foreach (var property in e.EnumerateObject()) IsObject(property.Value, $"{path}.{property.Name}", problems);
    }

    private static void CheckString(JsonElement e, string path, List<string> problems) => IsString(e, path, problems);

    private static bool IsString(JsonElement e, string path, List<string> problems)
    {
        if (e.ValueKind == JsonValueKind.String) return true;
        problems.Add($"{path}: must be a string, not {e.ValueKind}");
        return false;
    }

    private static void CheckBoolean(JsonElement e, string path, List<string> problems)
    {
        if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) problems.Add($"{path}: must be a boolean");
    }

    private static bool IsObject(JsonElement e, string path, List<string> problems)
    {
        if (e.ValueKind == JsonValueKind.Object) return true;
        problems.Add($"{path}: must be an object, not {e.ValueKind}");
        return false;
    }

    private static void EachItem(JsonElement e, string path, List<string> problems, Action<JsonElement, string, List<string>> check)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{path}: must be an array, not {e.ValueKind}");
            return;
        }
        int i = 0;
        foreach (var item in e.EnumerateArray()) check(item, $"{path}[{i++}]", problems);
    }

    private static Action<JsonElement, string, List<string>> OrNull(Action<JsonElement, string, List<string>> check) =>
        (e, p, pr) => { if (e.ValueKind != JsonValueKind.Null) check(e, p, pr); };

    private static void Required(JsonElement e, string name, string path, List<string> problems, Action<JsonElement, string, List<string>> check)
    {
        if (e.TryGetProperty(name, out var value)) check(value, $"{path}.{name}", problems);
        else problems.Add($"{path}.{name}: required");
    }

    private static void Optional(JsonElement e, string name, string path, List<string> problems, Action<JsonElement, string, List<string>> check)
    {
        if (e.TryGetProperty(name, out var value)) check(value, $"{path}.{name}", problems);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\z", RegexOptions.CultureInvariant)]
    private static partial Regex MediaTypePattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}
