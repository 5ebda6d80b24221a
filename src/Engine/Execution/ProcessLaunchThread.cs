using System.Collections.Concurrent;
using System.Diagnostics;

namespace Containerize.Engine.Execution;

/// <summary>
/// Starts the processes that must die with the build from one thread that lives as long as the
/// build process. They ask for SIGKILL when their parent goes (<c>containerize-helper launch</c>),
/// and Linux sends it when the parent *thread* that forked them exits: started from a thread-pool
/// thread, a long RUN step would be killed the moment the pool retired that thread.
/// </summary>
internal static class ProcessLaunchThread
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = new();

    static ProcessLaunchThread()
    {
        new Thread(Serve) { IsBackground = true, Name = "containerize process launcher" }.Start();
    }

    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    private static void Serve()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
