using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// Splits an instruction's argument text (flags already removed) into BuildKit's argument chain,
/// by the rule of its keyword. Unknown keywords get one empty argument, as in BuildKit.
/// </summary>
internal static class ArgumentChains
{
    public sealed record Chain(List<string> Arguments, bool IsJson, InstructionNode? Trigger = null);

    public delegate InstructionNode SubLineParser(string line);

    public static Chain Split(string keyword, string rest, char escape, SubLineParser parseSubLine, Func<string, ContainerizeException> fail)
    {
        switch (keyword.ToUpperInvariant())
        {
            case "FROM":
            case "EXPOSE":
                return new(WhitespaceDelimited(rest), false);
            case "MAINTAINER":
            case "USER":
            case "WORKDIR":
            case "STOPSIGNAL":
                return new(rest.Length == 0 ? [] : [rest], false);
            case "RUN":
            case "CMD":
            case "ENTRYPOINT":
            case "SHELL":
                return rest.Length == 0 ? new([], false) : MaybeJson(rest, fail);
            case "ADD":
            case "COPY":
            case "VOLUME":
                return MaybeJsonList(rest, fail);
            case "ENV":
                return new(NameValueChains.Split(rest, "ENV", escape, fail), false);
            case "LABEL":
                return new(NameValueChains.Split(rest, "LABEL", escape, fail), false);
            case "ARG":
                return new([.. QuotedWordSplitter.Split(rest, escape)], false);
            case "HEALTHCHECK":
                return Healthcheck(rest, fail);
            case "ONBUILD":
                return rest.Length == 0 ? new([], false) : new([], false, parseSubLine(rest));
            default:
                return new([""], false);
        }
    }

    private static List<string> WhitespaceDelimited(string rest) =>
        rest.Length == 0 ? [] : [.. Whitespace.SplitAsciiRuns(rest)];

    private static Chain MaybeJson(string rest, Func<string, ContainerizeException> fail) =>
        JsonArrayForm.TryParse(rest, out var values) switch
        {
            JsonArrayForm.Outcome.Strings => new(values, true),
            JsonArrayForm.Outcome.NotStringArray => throw NotStringArray(fail),
            _ => new([rest], false),
        };

    private static Chain MaybeJsonList(string rest, Func<string, ContainerizeException> fail) =>
        JsonArrayForm.TryParse(rest, out var values) switch
        {
            JsonArrayForm.Outcome.Strings => new(values, true),
            JsonArrayForm.Outcome.NotStringArray => throw NotStringArray(fail),
            _ => new(WhitespaceDelimited(rest), false),
        };

    private static ContainerizeException NotStringArray(Func<string, ContainerizeException> fail) =>
        fail("when using JSON array syntax, arrays must be comprised of strings only; quote every element.");

    private static Chain Healthcheck(string rest, Func<string, ContainerizeException> fail)
    {
        int sep = 0;
        while (sep < rest.Length && !char.IsWhiteSpace(rest[sep])) sep++;
        if (sep == 0) return new([], false);
        int next = sep;
        while (next < rest.Length && char.IsWhiteSpace(rest[next])) next++;
        var command = rest[next..].Length == 0 ? new Chain([], false) : MaybeJson(rest[next..], fail);
        return new([rest[..sep], .. command.Arguments], command.IsJson);
    }
}
