using Containerize.Engine.Diagnostics;

namespace Containerize.Cli;

/// <summary><c>--name value</c> options, repeatable, plus bare flags.</summary>
internal sealed class CommandLineOptions
{
    private static readonly HashSet<string> Flags = ["-v", "--verbose", "--keep-owners", "--no-cache"];
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CommandLineOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (!name.StartsWith('-'))
            {
                throw new ContainerizeException(ErrorCodes.InvalidProperty, $"Unexpected argument '{name}'; options start with --.");
            }
            if (Flags.Contains(name))
            {
                options.Add(name, "true");
                continue;
            }
            if (i + 1 >= args.Count)
            {
                throw new ContainerizeException(ErrorCodes.InvalidProperty, $"Option {name} needs a value.");
            }
            options.Add(name, args[++i]);
        }
        return options;
    }

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
        list.Add(value);
    }

    public string? Single(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Many(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public bool Flag(string name) => _values.ContainsKey(name);

    public IReadOnlyList<KeyValuePair<string, string>> Pairs(string name) => Many(name).Select(text =>
    {
        int equals = text.IndexOf('=');
        if (equals <= 0)
        {
            throw new ContainerizeException(ErrorCodes.InvalidProperty, $"{name} '{text}' must have the form NAME=VALUE.");
        }
        return KeyValuePair.Create(text[..equals], text[(equals + 1)..]);
    }).ToList();
}
