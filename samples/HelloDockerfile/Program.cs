using System.Diagnostics;
using System.Runtime.InteropServices;

Console.WriteLine(Environment.GetEnvironmentVariable("GREETING") ?? "Hello");
Console.WriteLine($"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription}, as {Environment.UserName}, in {Environment.CurrentDirectory}");
Run("greet", "called from .NET");  // compiled in the Dockerfile's build stage
Run("figlet", "Containerize");     // installed by apt-get in a RUN step

static void Run(string program, string argument)
{
    using var process = Process.Start(new ProcessStartInfo(program, [argument]) { RedirectStandardOutput = true })!;
    Console.Write(process.StandardOutput.ReadToEnd());
    process.WaitForExit();
}
