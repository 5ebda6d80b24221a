using System.Diagnostics;
using System.Runtime.InteropServices;

Console.WriteLine(Environment.GetEnvironmentVariable("GREETING") ?? "Hello");
Console.WriteLine($"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription}, as {Environment.UserName}, in {Environment.CurrentDirectory}");

// figlet was installed by a RUN step of the Dockerfile.
using var figlet = Process.Start(new ProcessStartInfo("figlet", "Containerize") { RedirectStandardOutput = true })!;
Console.Write(figlet.StandardOutput.ReadToEnd());
figlet.WaitForExit();
