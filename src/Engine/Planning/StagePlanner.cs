using System.Collections.Immutable;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>
/// Plans stages on demand, depth first: a stage is planned only when the target needs it, after
/// the stages it reads, and only once. <see cref="Ordered"/> lists them dependencies first.
/// </summary>
internal sealed class StagePlanner(
    PlanRequest request,
    IReadOnlyList<StageDeclaration> stages,
    GlobalScope globals,
    InstructionExpander expander,
    BaseImageConfigs baseImages,
    StageReferences references)
{
    private readonly Dictionary<int, StageOutcome> _planned = [];
    private readonly StageReferences _references = references;

    public List<PlannedStage> Ordered { get; } = [];

    /// <summary>ARG names declared by the planned stages.</summary>
    public HashSet<string> DeclaredArgs { get; } = new(StringComparer.Ordinal);

    public async Task<StageOutcome> PlanAsync(int index)
    {
        if (_planned.TryGetValue(index, out var done)) return done;
        var declaration = stages[index];
        var from = declaration.From;
        var location = expander.LocationOf(from);
        var fromWords = expander.WordsFor(from, globals.Variables);
        string baseName = fromWords.One(from.Image);
        if (baseName.Length == 0)
            throw new ContainerizeException(ErrorCodes.InvalidBaseImage, $"FROM: base name ({from.Image}) should not be blank; set the variable it uses (a global ARG or a build arg).", location);

        var dependsOn = new SortedSet<int>();
        StageBase stageBase;
        Platform platform = StagePlatform(from, fromWords, location);
        IReadOnlyList<KeyValuePair<string, string>> env = [], args = [];
        IReadOnlyList<Instruction> triggers = [];
        if (_references.EarlierByName(baseName, index) is { } parent)
        {
            var parentOutcome = await PlanAsync(parent.Index).ConfigureAwait(false);
            stageBase = new StageReference(parent.Index);
            dependsOn.Add(parent.Index);
            platform = parentOutcome.Stage.Platform;
            env = parentOutcome.FinalEnv;
            // BuildKit hands a stage's ARG values down to stages built FROM it.
            args = parentOutcome.FinalArgs;
        }
        else if (baseName == "scratch")
        {
            stageBase = ScratchBase.Instance;
        }
        else
        {
            ImageReference? reference;
            switch (_references.NamedContext(baseName))
            {
                case ImageBase alias:
                    reference = alias.Reference;
                    break;
                case NamedContextBase:
                    throw new ContainerizeException(ErrorCodes.InvalidBaseImage,
                        $"FROM {baseName}: '{baseName}' is a named build context (a directory); a stage can only start from an image, scratch or an earlier stage. Read the directory with COPY --from={baseName} instead.", location);
                default:
                    if (!ImageReference.TryParse(baseName, out reference, out string? problem))
                        throw new ContainerizeException(ErrorCodes.InvalidBaseImage, $"FROM: '{baseName}' is neither an earlier stage nor a valid image reference: {problem}.", location);
                    break;
            }
            var config = await baseImages.GetAsync(reference, platform).ConfigureAwait(false);
            stageBase = new ImageBase(reference, config);
            env = EnvEntries(config?.Config?.Env);
            triggers = OnbuildTriggers.Parse(config?.Config?.OnBuild, from, location);
        }

        var variables = new StageVariables(env, args, ignoreCase: platform.Os == "windows");
        var steps = new List<PlannedStep>();
        foreach (var instruction in triggers.Concat(declaration.Body))
        {
            var expanded = instruction is ArgInstruction arg ? DeclareArgs(arg, variables) : expander.Expand(instruction, variables);
            if (expanded is EnvInstruction envInstruction)
            {
                foreach (var pair in envInstruction.Variables) variables.SetEnv(pair.Key, pair.Value);
            }
            VariableSizeLimit.Check(variables.Length, expander.LocationOf(instruction));
            var sources = await SourcesAsync(expanded, index, dependsOn).ConfigureAwait(false);
            steps.Add(new PlannedStep(expanded, variables.ArgValues(), sources, instruction.Range));
        }

        var stage = new PlannedStage(index, declaration.Name, stageBase, platform, steps.AsReadOnly(), ImmutableSortedSet.CreateRange(dependsOn));
        var outcome = new StageOutcome(stage, variables.Env.ToList(), variables.Args.ToList());
        _planned[index] = outcome;
        Ordered.Add(stage);
        return outcome;
    }

    private Platform StagePlatform(FromInstruction from, Words words, SourceLocation location)
    {
        if (from.Platform is null) return request.TargetPlatform;
        string text = words.One(from.Platform);
        try
        {
            return Platform.Parse(text);
        }
        catch (ContainerizeException e)
        {
            throw new ContainerizeException(ErrorCodes.InvalidStagePlatform, $"FROM: --platform={from.Platform}: {e.Message}", location, e);
        }
    }

    /// <summary>
    /// ARG in a stage: a build arg wins, then the default written here, then the global value
    /// (which includes the automatic platform args); without any, the name stays unset.
    /// </summary>
    private ArgInstruction DeclareArgs(ArgInstruction arg, StageVariables variables)
    {
        var expanded = (ArgInstruction)expander.Expand(arg, variables);
        foreach (var declaration in expanded.Args)
        {
            DeclaredArgs.Add(declaration.Name);
            if (request.BuildArgs.TryGetValue(declaration.Name, out string? given)) variables.SetArg(declaration.Name, given);
            else if (declaration.DefaultValue is { } value) variables.SetArg(declaration.Name, value);
            else if (globals.TryGet(declaration.Name, out string global)) variables.SetArg(declaration.Name, global);
        }
        return expanded;
    }

    private async Task<IReadOnlyDictionary<string, StageBase>> SourcesAsync(Instruction instruction, int index, SortedSet<int> dependsOn)
    {
        var fromValues = instruction switch
        {
            CopyInstruction { From: { } from } => [from],
            RunInstruction run => run.Mounts.Select(m => m switch { BindMount b => b.From, CacheMount c => c.From, _ => null })
                .OfType<string>().ToList(),
            _ => new List<string>(),
        };
        if (fromValues.Count == 0) return EmptySources;
        var sources = new Dictionary<string, StageBase>(StringComparer.Ordinal);
        foreach (string value in fromValues.Distinct(StringComparer.Ordinal))
        {
            var source = _references.ResolveFrom(value, index, expander.LocationOf(instruction), instruction.Keyword);
            if (source is StageReference stage)
            {
                await PlanAsync(stage.StageIndex).ConfigureAwait(false);
                dependsOn.Add(stage.StageIndex);
            }
            sources[value] = source;
        }
        return sources;
    }

    private static readonly IReadOnlyDictionary<string, StageBase> EmptySources = new Dictionary<string, StageBase>();

    private static IReadOnlyList<KeyValuePair<string, string>> EnvEntries(IReadOnlyList<string>? env) =>
        env is null ? [] : Dockerfile.Expansion.DictionaryVariables.FromKeyValueList(env).Entries;
}
