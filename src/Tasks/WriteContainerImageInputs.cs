using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;

namespace Containerize.Tasks;

/// <summary>
/// Writes a SHA-256 of the settings that shape the image or where it goes (each item with its
/// metadata) to <see cref="File"/>, and touches the file only when that hash changes — as MSBuild's
/// CoreCompileInputs.cache does for the compiler — so the file is a target input whose timestamp
/// moves exactly when a setting does. Only the hash is written: build arguments may hold secrets.
/// </summary>
public sealed class WriteContainerImageInputs : Microsoft.Build.Utilities.Task
{
    /// <summary>The settings: item specs with any metadata; their order counts.</summary>
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>Metadata left out of the hash (separated by ';'), such as a path that changes with every session.</summary>
    public string[] UnhashedMetadata { get; set; } = [];

    [Required] public string File { get; set; } = "";

    public override bool Execute()
    {
        var text = new StringBuilder();
        foreach (var setting in Settings)
        {
            Append(text, setting.ItemSpec);
            var metadata = setting.CloneCustomMetadata();
            foreach (string name in metadata.Keys.Cast<string>().Except(UnhashedMetadata, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
            {
                Append(text, name);
                Append(text, (string?)metadata[name] ?? "");
            }
            text.Append('\n');
        }
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant() + "\n";
        if (System.IO.File.Exists(File) && System.IO.File.ReadAllText(File) == hash) return true;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
        System.IO.File.WriteAllText(File, hash);
        return true;
    }

    /// <summary>Length-prefixed, so no value can be mistaken for a separator.</summary>
    private static void Append(StringBuilder text, string value) => text.Append(value.Length).Append(':').Append(value).Append(';');
}
