using System.Globalization;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Solver;

/// <summary>How many stages of a Dockerfile build may work at once: a whole number from 1, by default the number of cores.</summary>
public static class BuildParallelism
{
    public static int Default => Environment.ProcessorCount;

    /// <summary>Reads a value given as text; empty means the default.</summary>
    /// <param name="setting">What the user wrote it in (<c>ContainerBuildParallelism</c>, <c>--parallelism</c>), for the message.</param>
    public static int? Parse(string? text, string setting)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
        {
            throw Invalid($"{setting} '{text.Trim()}'", setting);
        }
        return value;
    }

    /// <summary>The bound to use: <paramref name="requested"/>, or the default when it is null.</summary>
    public static int Resolve(int? requested) => requested switch
    {
        null => Default,
        < 1 => throw Invalid($"A build parallelism of {requested}", "ContainerBuildParallelism"),
        int value => value,
    };

    private static ContainerizeException Invalid(string what, string setting) => new(ErrorCodes.InvalidBuildParallelism,
        $"{what} is not a number of stages to build at once: set {setting} to a whole number from 1 (one stage at a time) up, "
        + $"or leave it unset for one per core ({Default} here).");
}
