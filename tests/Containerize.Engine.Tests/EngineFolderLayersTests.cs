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
        var violations = new List<string>();
        foreach (string folder in BottomToTop)
        {
            int level = Array.IndexOf(BottomToTop, folder);
            foreach (string file in Directory.EnumerateFiles(Path.Combine(EngineRoot, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
                foreach (Match reference in EngineReference().Matches(File.ReadAllText(file)))
                {
                    int target = Array.IndexOf(BottomToTop, reference.Groups[1].Value);
                    if (target > level) violations.Add($"{Path.GetRelativePath(EngineRoot, file)} references {reference.Groups[1].Value}, which is above {folder}");
                }
            }
        }

        Assert.IsEmpty(violations, string.Join(Environment.NewLine, violations.Distinct()));
    }

    [GeneratedRegex(@"\bContainerize\.Engine\.([A-Za-z]+)\b")]
    private static partial Regex EngineReference();
}
