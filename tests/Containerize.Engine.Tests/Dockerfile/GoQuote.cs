using System.Globalization;
using System.Text;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>Go's <c>strconv.Quote</c>, as BuildKit's AST dump uses it.</summary>
internal static class GoQuote
{
    public static string Quote(string value)
    {
        var result = new StringBuilder("\"");
        for (int i = 0; i < value.Length; i++)
        {
            int codePoint = value[i];
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                codePoint = char.ConvertToUtf32(value[i], value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                codePoint = 0xFFFD;
            }
            result.Append(Escape(codePoint));
        }
        return result.Append('"').ToString();
    }

    private static string Escape(int codePoint) => codePoint switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\a' => "\\a",
        '\b' => "\\b",
        '\f' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\v' => "\\v",
        < 0x20 or 0x7F => $"\\x{codePoint:x2}",
        _ when IsPrint(codePoint) => char.ConvertFromUtf32(codePoint),
        <= 0xFFFF => $"\\u{codePoint:x4}",
        _ => $"\\U{codePoint:x8}",
    };

    private static bool IsPrint(int codePoint)
    {
        if (codePoint == ' ') return true;
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }
}
