using System.Globalization;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>Go's <c>time.ParseDuration</c> syntax (<c>1h30m</c>, <c>1.5s</c>, <c>300ms</c>, <c>-2us</c>, <c>0</c>).</summary>
public static class GoDuration
{
    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1_000m), ("\u00b5s", 1_000m), ("\u03bcs", 1_000m), ("ms", 1_000_000m),
        ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m),
    ];

    /// <exception cref="FormatException">Not a Go duration.</exception>
    public static TimeSpan Parse(string text)
    {
        string s = text;
        bool negative = s.StartsWith('-');
        if (s.StartsWith('-') || s.StartsWith('+')) s = s[1..];
        if (s == "0") return TimeSpan.Zero;
        if (s.Length == 0) throw Invalid(text);
        decimal total = 0;
        int pos = 0;
        while (pos < s.Length)
        {
            int start = pos;
            while (pos < s.Length && (char.IsAsciiDigit(s[pos]) || s[pos] == '.')) pos++;
            string number = s[start..pos];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1) throw Invalid(text);
            int unitStart = pos;
            while (pos < s.Length && !char.IsAsciiDigit(s[pos]) && s[pos] != '.') pos++;
            string unit = s[unitStart..pos];
            var match = Units.FirstOrDefault(u => u.Unit == unit);
            if (match.Unit is null) throw Invalid(text);
            try
            {
                total += decimal.Parse(number.StartsWith('.') ? "0" + number : number.TrimEnd('.'), CultureInfo.InvariantCulture) * match.Nanoseconds;
            }
            catch (OverflowException)
            {
                throw Invalid(text);
            }
            if (total > long.MaxValue) throw Invalid(text);
        }
        // Rounded up so that a few nanoseconds never read as zero (zero means "inherit").
        long ticks = (long)Math.Ceiling(total / 100m);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }

    private static FormatException Invalid(string text) =>
        new($"time: invalid duration \"{text}\"; use a number with a unit such as 30s, 1m30s or 500ms");
}
