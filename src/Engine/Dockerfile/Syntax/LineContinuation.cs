namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// BuildKit's continuation rule: a line continues when it ends with the escape character and
/// optional spaces/tabs, unless that escape character is itself escaped. The escape and the
/// trailing blanks are removed.
/// </summary>
internal static class LineContinuation
{
    public static (string Text, bool EndsInstruction) Trim(string line, char escape)
    {
        int end = line.Length;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
        if (end == 0 || line[end - 1] != escape) return (line, true);
        if (end >= 2 && line[end - 2] == escape) return (line, true);
        return (line[..(end - 1)], false);
    }
}
