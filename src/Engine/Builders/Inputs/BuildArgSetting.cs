using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Builders.Inputs;

/// <summary>
/// Build arguments (<c>ContainerBuildArg</c> items, <c>--build-arg</c>): a name with a value, or a
/// name alone, whose value is the environment variable of that name when it is set (as
/// <c>docker build --build-arg NAME</c>).
/// </summary>
public static class BuildArgSetting
{
    /// <summary><c>NAME=VALUE</c> or <c>NAME</c>, as <c>--build-arg</c> takes it.</summary>
    public static KeyValuePair<string, string?> Split(string text)
    {
        int equals = text.IndexOf('=');
        return equals < 0 ? KeyValuePair.Create(text, (string?)null) : KeyValuePair.Create(text[..equals], (string?)text[(equals + 1)..]);
    }

    /// <summary>The arguments by name, a later one winning; a name without a value and without its environment variable is left out.</summary>
    /// <param name="setting">What the user wrote them in, for the message.</param>
    public static Dictionary<string, string> Parse(IEnumerable<KeyValuePair<string, string?>> given, string setting)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawName, value) in given)
        {
            string name = rawName.Trim();
            if (name.Length == 0)
            {
                throw new ContainerizeException(ErrorCodes.InvalidProperty,
                    $"{setting} '{rawName}' has no name: give NAME=VALUE, or NAME to pass the environment variable of that name.");
            }
            if ((value ?? Environment.GetEnvironmentVariable(name)) is { } taken) arguments[name] = taken;
        }
        return arguments;
    }
}
