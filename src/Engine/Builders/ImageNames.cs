using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Builders;

/// <summary>Default repository names and tags made from project names and versions.</summary>
public static class ImageNames
{
    /// <summary>A valid repository name from a project or assembly name: <c>My.App_Web</c> becomes <c>my.app_web</c>; other characters become '-'.</summary>
    public static string RepositoryFromProjectName(string projectName)
    {
        var builder = new StringBuilder(projectName.Length);
        foreach (char c in projectName.ToLowerInvariant())
        {
            builder.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-' or '/' ? c : '-');
        }
        string candidate = builder.ToString().Trim('-', '.', '_', '/');
        while (candidate.Contains("--", StringComparison.Ordinal)) candidate = candidate.Replace("--", "-", StringComparison.Ordinal);
        if (candidate.Length == 0 || !ImageReference.TryParse(candidate, out _, out _))
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty,
                $"No valid image repository name can be made from '{projectName}'. Set ContainerRepository, e.g. <ContainerRepository>my-app</ContainerRepository>.");
        }
        return candidate;
    }

    /// <summary>A valid tag from a version: <c>1.0.0+abc</c> becomes <c>1.0.0-abc</c>.</summary>
    public static string TagFromVersion(string version)
    {
        var builder = new StringBuilder(version.Length);
        foreach (char c in version)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-');
        }
        string tag = builder.ToString().TrimStart('.', '-');
        if (tag.Length > 128) tag = tag[..128];
        return tag.Length == 0 ? "latest" : tag;
    }
}
