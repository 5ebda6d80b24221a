using System.Text.RegularExpressions;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests;

/// <summary>
/// The folders of src/Engine are layers: a folder may reference (by a using directive or a
/// qualified name) only the folders below it in <see cref="BottomToTop"/>, so the engine has no
/// dependency cycle and each folder can be read knowing only what is under it.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed partial class EngineFolderLayersTests
{
    /// <summary>The declared order, lowest first.</summary>
    private static readonly string[] BottomToTop =
    [
        "Diagnostics",     // error codes, ContainerizeException, source locations, the build log interface
        "IO",              // streams, scratch folders, temporary names, libc and zlib (IO/Native)
        "Oci",             // the image model: references, manifests, configs, formats, built images and their layers
        "Store",           // the content-addressed blob store
        "Layers",          // reading and writing layer tars
        "Registry",        // the distribution API client and the base images it resolves
        "Archives",        // OCI layout and docker-save archives
        "Context",         // the build context and .dockerignore
        "Copy",            // COPY/ADD sources and their rules
        "ImageFileSystem", // an image's merged file tree, for COPY --from and the unpack
        "Dockerfile",      // the parser and word expansion
        "Planning",        // stages, ARG/ENV scopes, base images to resolve
        "Caching",         // the step cache: records, keys' builder, pruning
        "Execution",       // the RUN helper's process, namespaces, network
        "Rootfs",          // unpacked layers, overlay or copy, diffs
        "Steps",           // what a step runs with and how it runs (RUN, secrets, mounts, the config changes)
        "Solver",          // stages as scheduled work: sources, keys, the stage executor, image assembly
        "Builders",        // the entry points: Dockerfile and project-property images, settings, export
        "Run",             // containerize run
    ];

    private static string EngineRoot => Path.Combine(ConformanceData.RepositoryRoot, "src", "Engine");

    [TestMethod]
    public void EveryEngineFolderHasItsPlaceInTheOrder()
    {
        var folders = Directory.GetDirectories(EngineRoot).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToList();

        CollectionAssert.AreEquivalent(folders, BottomToTop, "a new engine folder needs its place in BottomToTop (and a removed one leaves it)");
    }

    [TestMethod]
    public void NoEngineFolderReferencesOneAboveIt()
    {
        var typesByFolder = BottomToTop.ToDictionary(f => f, TypesDeclaredIn);
        var violations = new List<string>();
        foreach (string folder in BottomToTop)
        {
            int level = Array.IndexOf(BottomToTop, folder);
            foreach (string file in SourceFiles(folder))
            {
                string text = File.ReadAllText(file);
                var referenced = EngineReference().Matches(text).Select(m => m.Groups[1].Value)
                    .Concat(ShortReferences(text, typesByFolder));
                foreach (string target in referenced.Distinct())
                {
                    if (Array.IndexOf(BottomToTop, target) > level) violations.Add($"{Path.GetRelativePath(EngineRoot, file)} references {target}, which is above {folder}");
                }
            }
        }

        Assert.IsEmpty(violations, string.Join(Environment.NewLine, violations));
    }

    /// <summary>
    /// A name qualified by a folder alone (<c>Rootfs.IdMapping</c>), which C# resolves inside the
    /// engine's namespaces without a using directive: a folder name followed by a type that folder declares.
    /// </summary>
    private static IEnumerable<string> ShortReferences(string text, Dictionary<string, HashSet<string>> typesByFolder)
    {
        foreach (Match m in ShortQualifiedName().Matches(text))
        {
            if (typesByFolder.TryGetValue(m.Groups[1].Value, out var types) && types.Contains(m.Groups[2].Value)) yield return m.Groups[1].Value;
        }
    }

    private static HashSet<string> TypesDeclaredIn(string folder) =>
        SourceFiles(folder).SelectMany(f => TypeDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(EngineRoot, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"\bContainerize\.Engine\.([A-Za-z]+)\b")]
    private static partial Regex EngineReference();

    [GeneratedRegex(@"(?<![\w.])([A-Z][A-Za-z]+)\.([A-Z]\w*)\b")]
    private static partial Regex ShortQualifiedName();

    [GeneratedRegex(@"^\s*(?:(?:public|internal|private|protected|sealed|static|abstract|partial|readonly|file)\s+)*(?:class|record|struct|interface|enum)\s+(?:struct\s+|class\s+)?([A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
