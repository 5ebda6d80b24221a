using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Containerize.Helper;

/// <summary>
/// After pivot_root the runtime's own directory is out of reach, so every assembly the helper may
/// still need (including the error path: Console, Linq, ...) is loaded before it. The native build
/// has nothing to load: everything is in its one executable.
/// </summary>
internal static class AssemblyPreloader
{
    public static void LoadAll()
    {
        if (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported) LoadReferences(); // false in the native build
        Console.Error.Flush(); // creates the writer (and loads what it needs) now
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only the JIT-run build walks its references; the native build has no assembly files.")]
    private static void LoadReferences()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>();
        pending.Push(typeof(AssemblyPreloader).Assembly);
        while (pending.Count > 0)
        {
            foreach (AssemblyName name in pending.Pop().GetReferencedAssemblies())
            {
                if (!seen.Add(name.Name!)) continue;
                try { pending.Push(Assembly.Load(name)); } catch (FileNotFoundException) { }
            }
        }
    }
}
