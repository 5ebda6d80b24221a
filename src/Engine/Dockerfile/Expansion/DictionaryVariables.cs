namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// Variables in declaration order; setting a name again replaces its value in place. Names are
/// case-sensitive, except for Windows images where Docker looks them up case-insensitively.
/// </summary>
public sealed class DictionaryVariables : IVariableLookup
{
    private readonly Dictionary<string, int> _indexByName;
    private readonly List<KeyValuePair<string, string>> _entries = [];

    public DictionaryVariables(bool ignoreCase = false)
    {
        _indexByName = new Dictionary<string, int>(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
    }

    public DictionaryVariables(IEnumerable<KeyValuePair<string, string>> entries, bool ignoreCase = false)
        : this(ignoreCase)
    {
        foreach (var (name, value) in entries) Set(name, value);
    }

    /// <summary>
    /// Reads <c>NAME=VALUE</c> entries as an image config's <c>Env</c> holds them; an entry without
    /// <c>=</c> sets the name to the empty string, and a later entry for a name wins.
    /// </summary>
    public static DictionaryVariables FromKeyValueList(IEnumerable<string> entries, bool ignoreCase = false)
    {
        var variables = new DictionaryVariables(ignoreCase);
        foreach (string entry in entries)
        {
            int equals = entry.IndexOf('=');
            if (equals < 0) variables.Set(entry, "");
            else variables.Set(entry[..equals], entry[(equals + 1)..]);
        }
        return variables;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries;

    /// <summary>The characters of every name and value together.</summary>
    public long Length { get; private set; }

    public void Set(string name, string value)
    {
        if (_indexByName.TryGetValue(name, out int index))
        {
            Length += value.Length - _entries[index].Value.Length;
            _entries[index] = new(_entries[index].Key, value);
            return;
        }
        Length += name.Length + value.Length;
        _indexByName[name] = _entries.Count;
        _entries.Add(new(name, value));
    }

    public bool TryGet(string name, out string value)
    {
        if (_indexByName.TryGetValue(name, out int index))
        {
            value = _entries[index].Value;
            return true;
        }
        value = "";
        return false;
    }
}
