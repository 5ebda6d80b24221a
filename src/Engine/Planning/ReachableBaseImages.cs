using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Planning;

/// <summary>
/// The images the target stage needs as far as the Dockerfile's plain words show them: the FROM
/// images of the target and of every stage it reaches through <c>FROM &lt;stage&gt;</c> and through
/// <c>--from</c> values written without variables, and the images such values name. BuildKit
/// resolves the bases of the reachable stages all at once; the planner goes stage by stage, so
/// these lookups are started before it and it awaits lookups already under way. What needs a
/// stage's own variables, or is not valid, is left to the planner (which reports it).
/// </summary>
internal static class ReachableBaseImages
{
    public static IReadOnlyList<(ImageReference Reference, Platform Platform)> Find(
        IReadOnlyList<StageDeclaration> stages, int target, GlobalScope globals, InstructionExpander expander, StageReferences references, Platform targetPlatform)
    {
        var images = new List<(ImageReference, Platform)>();
        var platforms = new Dictionary<int, Platform?>();
        var pending = new Stack<int>([target]);
        var seen = new HashSet<int> { target };
        void Reach(int index)
        {
            if (seen.Add(index)) pending.Push(index);
        }

        // A stage's FROM words with the global ARGs; null when a stage variable or an error decides.
        var fromWords = new Dictionary<int, (string Image, string? Platform)?>();
        (string Image, string? Platform)? FromOf(int index)
        {
            if (fromWords.TryGetValue(index, out var known)) return known;
            var from = stages[index].From;
            try
            {
                var words = expander.WordsFor(from, globals.Variables);
                return fromWords[index] = (words.One(from.Image), from.Platform is null ? null : words.One(from.Platform));
            }
            catch (ContainerizeException)
            {
                return fromWords[index] = null;
            }
        }

        // A stage's platform: its --platform, else its parent stage's, else the target platform.
        Platform? PlatformOf(int index)
        {
            if (platforms.TryGetValue(index, out var known)) return known;
            platforms[index] = null; // a cycle (invalid anyway) ends here
            Platform? platform = null;
            if (FromOf(index) is { } from)
            {
                if (from.Platform is not null) platform = ParsePlatform(from.Platform);
                else if (references.EarlierByName(from.Image, index) is { } parent) platform = PlatformOf(parent.Index);
                else platform = targetPlatform;
            }
            return platforms[index] = platform;
        }

        while (pending.Count > 0)
        {
            int index = pending.Pop();
            var declaration = stages[index];
            var platform = PlatformOf(index);
            if (FromOf(index) is not { Image: var baseName }) continue;
            if (references.EarlierByName(baseName, index) is { } parent) Reach(parent.Index);
            else if (baseName.Length > 0 && baseName != "scratch" && platform is { } p && ImageNamed(baseName, references) is { } image) images.Add((image, p));

            foreach (string value in FromValues(declaration.Body))
            {
                StageBase source;
                try
                {
                    source = references.ResolveFrom(value, index, expander.LocationOf(declaration.From), "COPY");
                }
                catch (ContainerizeException)
                {
                    continue;
                }
                if (source is StageReference stage) Reach(stage.StageIndex);
                else if (source is ImageBase named && platform is { } p) images.Add((named.Reference, p));
            }
        }
        return images;
    }

    private static Platform? ParsePlatform(string text)
    {
        try
        {
            return Platform.Parse(text);
        }
        catch (ContainerizeException)
        {
            return null;
        }
    }

    private static ImageReference? ImageNamed(string name, StageReferences references) => references.NamedContext(name) switch
    {
        ImageBase alias => alias.Reference,
        NamedContextBase => null,
        _ => ImageReference.TryParse(name, out var reference, out _) ? reference : null,
    };

    /// <summary>The <c>--from</c> values of COPY and of RUN bind and cache mounts that need no expansion.</summary>
    private static IEnumerable<string> FromValues(IEnumerable<Instruction> body) => body
        .SelectMany(instruction => instruction switch
        {
            CopyInstruction { From: { } from } => [from],
            RunInstruction run => run.Mounts.Select(m => m switch { BindMount b => b.From, CacheMount c => c.From, _ => null }).OfType<string>(),
            _ => [],
        })
        .Where(value => !value.Contains('$'))
        .Distinct(StringComparer.Ordinal);
}
