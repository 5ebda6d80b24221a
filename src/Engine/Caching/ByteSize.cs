using System.Globalization;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Caching;

/// <summary>Sizes as people write them: <c>500MB</c>, <c>10GB</c>, <c>1.5GiB</c>, <c>4096</c> (bytes). K, M, G, T count in 1024s, as Docker's sizes do.</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("TIB", 1L << 40), ("GIB", 1L << 30), ("MIB", 1L << 20), ("KIB", 1L << 10),
        ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10),
        ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10), ("B", 1),
    ];

    /// <param name="property">The property or option the text came from, named in the error.</param>
    public static long Parse(string text, string property)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        string upper = trimmed.ToUpperInvariant();
        long factor = 1;
        foreach (var (suffix, unitFactor) in Units)
        {
            if (upper.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = unitFactor;
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                break;
            }
        }
        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number)
            || number * factor > long.MaxValue)
        {
            throw new ContainerizeException(ErrorCodes.InvalidCacheSize,
                $"{property} '{text}' is not a size: write a number of bytes with an optional unit, such as 500MB, 10GB or 1.5GiB.");
        }
        return (long)(number * factor);
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.##} MB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.##} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
