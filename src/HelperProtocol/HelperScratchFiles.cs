using System.Text;

namespace Containerize.HelperProtocol;

/// <summary>
/// The files of the scratch folder the engine gives the helper's <c>run</c> command: the
/// <see cref="Spec"/> it reads, the <see cref="MountPoint"/> the root is mounted on, and the
/// <see cref="Error"/> and <see cref="Created"/> files the helper writes back.
/// </summary>
internal static class HelperScratchFiles
{
    public const string Spec = "spec";
    public const string MountPoint = "root";
    public const string Error = "error";

    /// <summary>The mount points the helper created in the root and the directories their creation copied up (<see cref="HelperCreatedList"/>).</summary>
    public const string Created = "created";
}

/// <summary>The <see cref="HelperScratchFiles.Error"/> file: <c>code NUL message</c>.</summary>
internal static class HelperErrorReport
{
    public static string Format(string code, string message) => $"{code}\0{message}";

    /// <summary>The code (<see cref="HelperFailureCodes.SetupFailed"/> when it is none of the helper's) and the message.</summary>
    public static (string Code, string Message) Parse(string text)
    {
        string[] parts = text.Split('\0', 2);
        string code = parts[0].StartsWith(HelperFailureCodes.CodePrefix, StringComparison.Ordinal) ? parts[0] : HelperFailureCodes.SetupFailed;
        return (code, parts.Length > 1 ? parts[1] : parts[0]);
    }
}

/// <summary>The <see cref="HelperScratchFiles.Created"/> file: <c>c NUL path NUL</c> for a created entry, <c>u NUL path NUL</c> for a copied-up directory.</summary>
internal static class HelperCreatedList
{
    private const string CreatedMark = "c";
    private const string CopiedUpMark = "u";

    public static string Format(IEnumerable<string> created, IEnumerable<string> copiedUp)
    {
        var text = new StringBuilder();
        foreach (string c in created) text.Append(CreatedMark).Append('\0').Append(c).Append('\0');
        foreach (string u in copiedUp) text.Append(CopiedUpMark).Append('\0').Append(u).Append('\0');
        return text.ToString();
    }

    public static (List<string> Created, List<string> CopiedUp) Parse(byte[] data)
    {
        string[] parts = Encoding.UTF8.GetString(data).Split('\0');
        var created = new List<string>();
        var copiedUp = new List<string>();
        for (int i = 0; i + 1 < parts.Length; i += 2)
        {
            (parts[i] == CreatedMark ? created : copiedUp).Add(parts[i + 1]);
        }
        return (created, copiedUp);
    }
}
