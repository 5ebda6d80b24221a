using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Planning;

/// <summary>
/// The variables of a stage while it is planned: ENV (from the base and ENV instructions) and the
/// ARG values in scope. ENV wins over an ARG of the same name, as the Dockerfile reference says.
/// </summary>
internal sealed class StageVariables : IVariableLookup
{
    private readonly DictionaryVariables _env;
    private readonly DictionaryVariables _args;

    /// <param name="ignoreCase">True for Windows images, whose variable names Docker matches case-insensitively.</param>
    public StageVariables(IEnumerable<KeyValuePair<string, string>> env, IEnumerable<KeyValuePair<string, string>> args, bool ignoreCase)
    {
        _env = new DictionaryVariables(env, ignoreCase);
        _args = new DictionaryVariables(args, ignoreCase);
    }

    public IReadOnlyList<KeyValuePair<string, string>> Env => _env.Entries;

    public IReadOnlyList<KeyValuePair<string, string>> Args => _args.Entries;

    /// <summary>The characters of every ENV and ARG name and value in scope.</summary>
    public long Length => _env.Length + _args.Length;

    public void SetEnv(string name, string value) => _env.Set(name, value);

    public void SetArg(string name, string value) => _args.Set(name, value);

    public bool TryGet(string name, out string value) => _env.TryGet(name, out value) || _args.TryGet(name, out value);

    public IReadOnlyList<BuildArgValue> ArgValues() => _args.Entries.Select(e => new BuildArgValue(e.Key, e.Value)).ToList();
}
