using System.Text;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>Body transformations of here-documents.</summary>
public static class HeredocBody
{
    /// <summary>Removes the leading tabs of every line, as <c>&lt;&lt;-</c> asks.</summary>
    public static string StripLeadingTabs(string content)
    {
        var result = new StringBuilder(content.Length);
        bool atLineStart = true;
        foreach (char c in content)
        {
            if (atLineStart && c == '\t') continue;
            atLineStart = c == '\n';
            result.Append(c);
        }
        return result.ToString();
    }
}
