using Containerize.Engine.Diagnostics;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Caching;

/// <summary>
/// Whether steps may come from the cache: <see cref="NoCache"/> runs every step (<c>--no-cache</c>),
/// <see cref="NoCacheStages"/> runs every step of the named stages (<c>--no-cache-filter</c>). Steps that
/// run are recorded either way, so the next build finds them.
/// </summary>
public sealed record StepCacheOptions
{
    public bool NoCache { get; init; }

    public IReadOnlyList<string> NoCacheStages { get; init; } = [];

    public bool MayUseCache(PlannedStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return !NoCache && !(stage.Name is { } name && NoCacheStages.Contains(name, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>A stage name the Dockerfile does not have is a typo the user wants to hear about.</summary>
    internal void Validate(IEnumerable<string?> stageNames)
    {
        var known = stageNames.OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (string name in NoCacheStages)
        {
            if (!known.Contains(name))
            {
                string names = known.Count == 0 ? "the Dockerfile names no stage (FROM … AS name)" : "its stages are " + string.Join(", ", known.Order(StringComparer.Ordinal));
                throw new ContainerizeException(ErrorCodes.UnknownNoCacheStage,
                    $"ContainerNoCacheFilter names the stage '{name}', which the build does not have: {names}. Name a stage of the Dockerfile, or remove it from the filter.");
            }
        }
    }
}
