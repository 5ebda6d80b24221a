namespace Containerize.Engine.Diagnostics;

/// <summary>
/// A failure the user can act on: a stable code, a message that says what to do next and, when
/// it comes from a file, where. Front ends print it without a stack trace.
/// </summary>
public class ContainerizeException : Exception
{
    public ContainerizeException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public ContainerizeException(string code, string message, SourceLocation location, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Location = location;
    }

    public string Code { get; }

    public SourceLocation? Location { get; }

    public override string ToString() =>
        Location is { } l ? $"{l}: error {Code}: {Message}" : $"error {Code}: {Message}";
}
