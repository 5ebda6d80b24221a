using System.Text.RegularExpressions;

namespace Containerize.Engine.Oci;

/// <summary>
/// The image reference grammar of distribution/reference, as anchored expressions.
/// Anchors are <c>\z</c>, not <c>$</c>: .NET's <c>$</c> also matches before a final newline.
/// </summary>
internal static partial class ReferenceGrammar
{
    /// <summary>The longest repository path (the name without its domain).</summary>
    public const int MaxNameLength = 255;

    private const string Alphanumeric = "[a-z0-9]+";
    private const string Separator = "(?:[._]|__|-+)";
    private const string PathComponent = Alphanumeric + "(?:" + Separator + Alphanumeric + ")*";
    private const string RemoteName = PathComponent + "(?:/" + PathComponent + ")*";
    private const string DomainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Ipv6Address = @"\[(?:[a-fA-F0-9:]+)\]";
    private const string DomainName = DomainNameComponent + @"(?:\." + DomainNameComponent + ")*";
    private const string DomainAndPort = "(?:" + DomainName + "|" + Ipv6Address + ")(?::[0-9]+)?";
    private const string Tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private const string DigestText = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private const string Name = "(?:(?<domain>" + DomainAndPort + ")/)?(?<path>" + RemoteName + ")";

    /// <summary>A registry host with an optional port.</summary>
    [GeneratedRegex(@"^" + DomainAndPort + @"\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredDomain();

    /// <summary>A repository name; groups <c>domain</c> (optional) and <c>path</c>.</summary>
    [GeneratedRegex(@"^" + Name + @"\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredName();

    /// <summary>A full reference; groups <c>name</c>, <c>domain</c>, <c>path</c>, <c>tag</c>, <c>digest</c>.</summary>
    [GeneratedRegex(@"^(?<name>" + Name + ")(?::(?<tag>" + Tag + "))?(?:@(?<digest>" + DigestText + @"))?\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredReference();

    [GeneratedRegex(@"^" + Tag + @"\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredTag();

    [GeneratedRegex(@"^" + DigestText + @"\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredDigest();

    /// <summary>A 64-hex image ID: never a repository name, even though it would match the name grammar.</summary>
    [GeneratedRegex(@"^[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredIdentifier();
}
