using Containerize.Engine.Dockerfile.Expansion;
using Containerize.Engine.Dockerfile.Instructions;

namespace Containerize.Engine.Planning;

/// <summary>
/// The ARGs before the first FROM, evaluated one declaration after the other (a build arg replaces
/// the default), on top of the automatic platform args. They expand FROM lines; a stage sees one
/// only after redeclaring it.
/// </summary>
internal sealed class GlobalScope
{
    private readonly DictionaryVariables _values = new();

    private GlobalScope() { }

    public IVariableLookup Variables => _values;

    /// <summary>Names declared by global ARGs (consumed build args).</summary>
    public HashSet<string> Declared { get; } = new(StringComparer.Ordinal);

    public static GlobalScope Evaluate(
        IEnumerable<ArgInstruction> args, IReadOnlyDictionary<string, string> platformArgs,
        IReadOnlyDictionary<string, string> buildArgs, InstructionExpander expander)
    {
        var scope = new GlobalScope();
        foreach (var (name, value) in platformArgs) scope._values.Set(name, value);
        foreach (var instruction in args)
        {
            var words = expander.WordsFor(instruction, scope._values);
            foreach (var declaration in instruction.Args)
            {
                string name = words.One(declaration.Name);
                string? value = words.Optional(declaration.DefaultValue);
                scope.Declared.Add(name);
                if (buildArgs.TryGetValue(name, out string? given)) scope._values.Set(name, given);
                else if (value is not null) scope._values.Set(name, value);
            }
            VariableSizeLimit.Check(scope._values.Length, words.Location);
        }
        return scope;
    }

    public bool TryGet(string name, out string value) => _values.TryGet(name, out value);
}
