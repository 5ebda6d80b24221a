namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>
/// The <c>--flag</c> words of one instruction checked against what it accepts, like BuildKit's
/// BFlags: <c>--name=value</c> for strings (repeatable ones collect), <c>--name</c> or
/// <c>--name=true|false</c> for booleans.
/// </summary>
internal sealed class InstructionFlags
{
    public enum Kind { Bool, String, Strings }

    private readonly Dictionary<string, string> _values = [];
    private readonly Dictionary<string, List<string>> _lists = [];

    private InstructionFlags() { }

    /// <exception cref="InstructionException">Unknown, repeated or ill-valued flag.</exception>
    public static InstructionFlags Parse(IReadOnlyList<string> words, IReadOnlyDictionary<string, Kind> accepted)
    {
        var flags = new InstructionFlags();
        foreach (string word in words)
        {
            if (!word.StartsWith("--", StringComparison.Ordinal))
                throw InstructionException.Flag($"arg should start with -- : {word}");
            int equals = word.IndexOf('=');
            string name = equals < 0 ? word[2..] : word[2..equals];
            string? value = equals < 0 ? null : word[(equals + 1)..];
            if (!accepted.TryGetValue(name, out var kind))
            {
                string known = accepted.Count == 0 ? "this instruction takes no flags" : "known flags: --" + string.Join(", --", accepted.Keys);
                throw InstructionException.UnknownFlag($"unknown flag: --{name} ({known})");
            }
            flags.Add(name, value, kind);
        }
        return flags;
    }

    public string? String(string name) => _values.GetValueOrDefault(name);

    public bool Bool(string name) => _values.GetValueOrDefault(name) == "true";

    public bool? OptionalBool(string name) => _values.TryGetValue(name, out string? v) ? v == "true" : null;

    public IReadOnlyList<string> Strings(string name) => _lists.GetValueOrDefault(name) ?? [];

    private void Add(string name, string? value, Kind kind)
    {
        if (kind != Kind.Strings && _values.ContainsKey(name))
            throw InstructionException.Flag($"duplicate flag specified: --{name}");
        switch (kind)
        {
            case Kind.Bool:
                if (value == "") throw InstructionException.Flag($"missing a value on flag: --{name}");
                _values[name] = (value ?? "true").ToLowerInvariant() switch
                {
                    "true" => "true",
                    "false" => "false",
                    _ => throw InstructionException.Flag($"expecting boolean value for flag --{name}, not: {value}"),
                };
                break;
            case Kind.String:
                _values[name] = value ?? throw InstructionException.Flag($"missing a value on flag: --{name}; write --{name}=<value>");
                break;
            default:
                if (value is null) throw InstructionException.Flag($"missing a value on flag: --{name}; write --{name}=<value>");
                if (!_lists.TryGetValue(name, out var list)) _lists[name] = list = [];
                list.Add(value);
                break;
        }
    }
}
