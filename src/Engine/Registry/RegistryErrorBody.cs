using System.Text;
using System.Text.Json;

namespace Containerize.Engine.Registry;

/// <summary>
/// The registry's own explanation of a failed request: the <c>errors[].message</c> of a
/// distribution error body (or a token server's <c>details</c>/<c>error_description</c>).
/// </summary>
internal static class RegistryErrorBody
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>An explanation that has not arrived by then is left out rather than waited for.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    public static async Task<string?> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(MaxWait);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(bounded.Token).ConfigureAwait(false);
            var buffer = new byte[MaxBodyBytes];
            int total = 0, read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), bounded.Token).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
            return Extract(buffer.AsSpan(0, total));
        }
        catch (Exception e) when (e is HttpRequestException or IOException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public static string? Extract(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var messages = errors.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                        ? m.GetString()
                        : e.ValueKind == JsonValueKind.Object && e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null)
                    .Where(m => !string.IsNullOrWhiteSpace(m))
                    .Distinct()
                    .ToList();
                if (messages.Count > 0) return string.Join("; ", messages);
            }
            foreach (string name in new[] { "details", "error_description", "message", "error" })
            {
                if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } text) return text;
            }
            return null;
        }
        catch (JsonException)
        {
            string text = Encoding.UTF8.GetString(body).Trim();
            return text.Length is > 0 and <= 300 && !text.StartsWith('<') ? text : null;
        }
    }
}
