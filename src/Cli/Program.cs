using Containerize.Cli;
using Containerize.Engine.Diagnostics;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

if (args.Length == 0 || args[0] is not ("image" or "build" or "run" or "prune"))
{
    Console.Error.WriteLine("usage:\n" + BuildCommand.Usage + "\n" + ImageCommand.Usage + "\n" + RunImageCommand.Usage + "\n" + PruneCommand.Usage);
    return args.Length > 0 && args[0] is "-h" or "--help" ? 0 : 2;
}

try
{
    return args[0] switch
    {
        "image" => await ImageCommand.RunAsync(args[1..], cancellation.Token),
        "build" => await BuildCommand.RunAsync(args[1..], cancellation.Token),
        "prune" => await PruneCommand.RunAsync(args[1..], cancellation.Token),
        _ => await RunImageCommand.RunAsync(args[1..], cancellation.Token),
    };
}
catch (ContainerizeException e)
{
    Console.Error.WriteLine(e.ToString());
    return 1;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
