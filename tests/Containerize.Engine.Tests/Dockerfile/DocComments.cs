namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>
/// BuildKit's documentation comments: among the comment lines right above an instruction, the
/// first one starting with <c>name </c> documents <c>name</c> (an ARG, a stage). Only the corpus
/// checks them: containerize builds do not use documentation comments.
/// </summary>
internal static class DocComments
{
    public static string For(IReadOnlyList<string> comments, string name)
    {
        if (name.Length == 0) return "";
        string prefix = name + " ";
        return comments.FirstOrDefault(c => c.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..] ?? "";
    }
}
