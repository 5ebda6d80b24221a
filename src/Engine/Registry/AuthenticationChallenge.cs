using System.Text;

namespace Containerize.Engine.Registry;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 7235): a scheme and its parameters,
/// such as <c>Bearer realm="https://auth.example.com/token",service="registry",scope="repository:a:pull,push"</c>.
/// </summary>
internal sealed record AuthenticationChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>The challenge to answer among several header values: Bearer before Basic, null when neither is offered.</summary>
    public static AuthenticationChallenge? Select(IEnumerable<string> headerValues)
    {
        var all = headerValues.SelectMany(Parse).ToList();
        return all.FirstOrDefault(c => c.IsBearer && c.Realm is not null) ?? all.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>Every challenge in one header value. Malformed pieces are skipped, never thrown on.</summary>
    public static IReadOnlyList<AuthenticationChallenge> Parse(string? header)
    {
        var challenges = new List<AuthenticationChallenge>();
        if (string.IsNullOrWhiteSpace(header)) return challenges;
        Dictionary<string, string>? current = null;
        int pos = 0;
        while (pos < header.Length)
        {
            SkipWhile(header, ref pos, c => char.IsWhiteSpace(c) || c == ',');
            if (pos >= header.Length) break;
            string token = ReadToken(header, ref pos);
            if (token.Length == 0)
            {
                pos++; // a stray '=' or quote: skip it
                continue;
            }
            int afterToken = pos;
            SkipWhile(header, ref pos, c => c is ' ' or '\t');
            bool isParameter = pos < header.Length && header[pos] == '=' && current is not null
                && !(pos + 1 < header.Length && header[pos + 1] == '=' && afterToken == pos);
            if (isParameter)
            {
                pos++;
                SkipWhile(header, ref pos, c => c is ' ' or '\t');
                current![token.ToLowerInvariant()] = ReadValue(header, ref pos);
            }
            else if (pos < header.Length && header[pos] == '=')
            {
                // token68 credentials (e.g. "Negotiate abc==") or a parameter without a scheme: ignore
                SkipWhile(header, ref pos, c => c == '=');
            }
            else
            {
                current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                challenges.Add(new AuthenticationChallenge(token, current));
            }
        }
        return challenges;
    }

    private static string ReadToken(string s, ref int pos)
    {
        int start = pos;
        while (pos < s.Length && !char.IsWhiteSpace(s[pos]) && s[pos] is not (',' or '=' or '"')) pos++;
        return s[start..pos];
    }

    private static string ReadValue(string s, ref int pos)
    {
        if (pos >= s.Length) return "";
        if (s[pos] != '"')
        {
            int start = pos;
            while (pos < s.Length && s[pos] != ',' && !char.IsWhiteSpace(s[pos])) pos++;
            return s[start..pos];
        }
        pos++;
        var value = new StringBuilder();
        while (pos < s.Length && s[pos] != '"')
        {
            if (s[pos] == '\\' && pos + 1 < s.Length) pos++;
            value.Append(s[pos++]);
        }
        pos++; // closing quote (or end of a truncated header)
        return value.ToString();
    }

    private static void SkipWhile(string s, ref int pos, Func<char, bool> predicate)
    {
        while (pos < s.Length && predicate(s[pos])) pos++;
    }
}
