using System.Globalization;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>
/// What a name in FROM or a <c>--from</c> value designates: an earlier stage (by name, compared in
/// lower case, or — for <c>--from</c> only — by index), else a named context, else an image reference.
/// </summary>
internal sealed class StageReferences(IReadOnlyList<StageDeclaration> stages, IReadOnlyDictionary<string, StageBase> namedContexts)
{
    /// <summary>A named context (directory or image alias) of that name, compared case-insensitively.</summary>
    public StageBase? NamedContext(string name) =>
        namedContexts.FirstOrDefault(c => c.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public StageDeclaration? EarlierByName(string name, int before)
    {
        var match = stages.FirstOrDefault(s => s.Name is not null && s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        return match is not null && match.Index < before ? match : null;
    }

    /// <summary>Resolves a <c>COPY --from</c> / <c>--mount from=</c> value used in stage <paramref name="current"/>.</summary>
    public StageBase ResolveFrom(string value, int current, SourceLocation location, string keyword)
    {
        if (value.Length > 0 && value.All(char.IsAsciiDigit))
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= current)
            {
                throw new ContainerizeException(ErrorCodes.InvalidStageReference,
                    $"{keyword}: invalid from flag value {value}: refers to current or future build stage; use the index of an earlier stage (0 to {current - 1}).", location);
            }
            return new StageReference(index);
        }
        if (EarlierByName(value, current) is { } stage) return new StageReference(stage.Index);
        if (stages.Any(s => s.Name is not null && s.Name.Equals(value, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ContainerizeException(ErrorCodes.InvalidStageReference,
                $"{keyword}: --from={value} names the current or a later stage; a stage can only read stages defined before it.", location);
        }
        if (NamedContext(value) is { } context) return context;
        if (!ImageReference.TryParse(value, out var reference, out string? problem))
        {
            throw new ContainerizeException(ErrorCodes.InvalidStageReference,
                $"{keyword}: --from={value} is neither an earlier stage nor a valid image reference: {problem}.", location);
        }
        return new ImageBase(reference, null);
    }
}
