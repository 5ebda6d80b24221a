using System.Reflection;

namespace Containerize.Helper;

/// <summary>
/// After pivot_root the runtime's own directory is out of reach, so every assembly the helper may
/// still need (including the error path: Console, Linq, ...) is loaded before it.
/// </summary>
internal static class AssemblyPreloader
{
    public static void LoadAll()
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
        Console.Error.Flush(); // creates the writer (and loads what it needs) now
    }
}
