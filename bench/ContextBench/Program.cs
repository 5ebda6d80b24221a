// Computes a build context the way a build does: locate and read the .dockerignore, walk the tree.
// Usage: ContextBench <context-dir> [in-process-repeats]
// Prints the entry count; with repeats, also the median in-process time (no process start-up).
using System.Diagnostics;
using Containerize.Engine.Context;

string context = args[0];
int repeats = args.Length > 1 ? int.Parse(args[1]) : 0;

int Compute()
{
    string? ignoreFile = DockerignoreFile.Locate(context, "Dockerfile");
    var patterns = ignoreFile is null ? IgnorePatterns.Empty : DockerignoreFile.Read(ignoreFile);
    return ContextWalker.Walk(context, patterns, CancellationToken.None).Count;
}

int count = Compute();
if (repeats == 0)
{
    Console.WriteLine($"{count} entries");
    return;
}
var times = new List<double>();
for (int i = 0; i < repeats; i++)
{
    var watch = Stopwatch.StartNew();
    Compute();
    times.Add(watch.Elapsed.TotalMilliseconds);
}
times.Sort();
Console.WriteLine($"{count} entries, in-process median {times[times.Count / 2]:F2} ms over {repeats} runs");
