using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Steps;

/// <summary>A heredoc with a shebang that RUN executes as a file (BuildKit mounts it under /dev/pipes/).</summary>
public sealed record RunScript(string Name, string Content)
{
    public const string Directory = "/dev/pipes";

    public string ContainerPath => $"{Directory}/{Name}";
}

/// <summary>
/// What a RUN step executes and how history records it, derived as BuildKit's Dockerfile frontend
/// does: shell form through SHELL, a lone heredoc run as the shell's script (or as an executable
/// file when it starts with a shebang), other heredocs handed to the shell whole, and history text
/// <c>RUN |n K=V … argv</c> listing the build args in scope.
/// </summary>
public sealed record RunCommand(IReadOnlyList<string> Argv, RunScript? Script, string History)
{
    /// <summary>The PATH a container gets when its image sets none, as in Docker and BuildKit.</summary>
    public const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static RunCommand Create(RunInstruction run, IReadOnlyList<string> shell, IReadOnlyList<string> environment, IReadOnlyList<BuildArgValue> args)
    {
        ArgumentNullException.ThrowIfNull(run);
        IReadOnlyList<string> words = run.Command.Arguments;
        RunScript? script = null;
        if (run.Files.Count > 0 && run.Command.IsShellForm)
        {
            string line = string.Join(' ', words);
            var first = run.Files[0];
            if (run.Files.Count == 1 && IsLoneHeredoc(line))
            {
                string content = first.ChompedContent;
                if (content.StartsWith("#!", StringComparison.Ordinal))
                {
                    script = new RunScript(first.Name, content);
                    words = [script.ContainerPath];
                    return new RunCommand(words, script, HistoryText(words, environment, args));
                }
                words = [content];
            }
            else
            {
                words = [line + string.Concat(run.Files.Select(f => "\n" + f.Content + f.Name))];
            }
        }
        IReadOnlyList<string> argv = run.Command.IsShellForm ? [.. shell, string.Join(' ', words)] : words;
        return new RunCommand(argv, script, HistoryText(argv, environment, args));
    }

    /// <summary>The environment of the step: the image's (with the default PATH if it has none), then build args that ENV does not set (proxy args too).</summary>
    public static IReadOnlyList<string> Environment(IReadOnlyList<string>? imageEnv, IReadOnlyList<BuildArgValue> args, IReadOnlyList<BuildArgValue> proxyArgs)
    {
        var result = new List<string>(imageEnv ?? []);
        var names = new HashSet<string>(result.Select(EnvironmentEntries.Name), StringComparer.Ordinal);
        if (names.Add("PATH")) result.Add(DefaultPath);
        foreach (var arg in args.Concat(proxyArgs))
        {
            if (names.Add(arg.Name)) result.Add($"{arg.Name}={arg.Value}");
        }
        return result;
    }

    private static bool IsLoneHeredoc(string line)
    {
        string text = line.Trim();
        if (!text.StartsWith("<<", StringComparison.Ordinal)) return false;
        string rest = text[2..].TrimStart('-');
        return rest.Length > 0 && !rest.Any(char.IsWhiteSpace);
    }

    private static string HistoryText(IReadOnlyList<string> argv, IReadOnlyList<string> environment, IReadOnlyList<BuildArgValue> args)
    {
        var values = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            // An ENV of the same name shadows the arg, in the step and in its history.
            string value = environment.LastOrDefault(e => EnvironmentEntries.Name(e) == arg.Name) is { } entry ? EnvironmentEntries.Value(entry) : arg.Value;
            string pair = $"{arg.Name}={value}";
            if (seen.TryGetValue(arg.Name, out int index)) values[index] = pair;
            else
            {
                seen[arg.Name] = values.Count;
                values.Add(pair);
            }
        }
        string command = string.Join(' ', argv);
        return values.Count == 0 ? $"RUN {command}" : $"RUN |{values.Count} {string.Join(' ', values)} {command}";
    }
}
