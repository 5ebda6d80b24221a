using System.Runtime.InteropServices;

Console.WriteLine(Environment.GetEnvironmentVariable("GREETING") ?? "Hello");
Console.WriteLine($"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription}, in {Environment.CurrentDirectory}");
