using System.Text;

namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// The replacement of <c>${VAR//pattern/replacement}</c> read as a Go regexp template, which is what
/// BuildKit's replace-all does with it. A pattern has no groups, so only group 0 (the match) can
/// produce text; any other <c>$name</c>, <c>${name}</c> or <c>$1</c> expands to nothing, and a
/// <c>$</c> that starts no name stays as it is.
/// </summary>
internal static class ReplacementTemplate
{
    public static void AppendExpanded(StringBuilder output, string template, string match)
    {
        int i = 0;
        while (i < template.Length)
        {
            int dollar = template.IndexOf('$', i);
            if (dollar < 0) break;
            output.Append(template, i, dollar - i);
            i = dollar + 1;
            if (i < template.Length && template[i] == '$')
            {
                output.Append('$');
                i++;
                continue;
            }
            if (!TryReadReference(template, i, out string name, out int after))
            {
                output.Append('$');
                continue;
            }
            i = after;
            if (IsGroupZero(name)) output.Append(match);
        }
        output.Append(template, i, template.Length - i);
    }

    private static bool TryReadReference(string template, int start, out string name, out int after)
    {
        name = "";
        after = start;
        bool braced = start < template.Length && template[start] == '{';
        int position = braced ? start + 1 : start;
        int nameStart = position;
        while (position < template.Length)
        {
            Rune.DecodeFromUtf16(template.AsSpan(position), out Rune rune, out int length);
            if (!Rune.IsLetterOrDigit(rune) && rune.Value != '_') break;
            position += length;
        }
        if (position == nameStart) return false;
        if (braced)
        {
            if (position >= template.Length || template[position] != '}') return false;
            name = template[nameStart..position];
            after = position + 1;
            return true;
        }
        name = template[nameStart..position];
        after = position;
        return true;
    }

    /// <summary>"0" names the whole match; "00" or "01" are not numbers to Go's template.</summary>
    private static bool IsGroupZero(string name) => name == "0";
}
