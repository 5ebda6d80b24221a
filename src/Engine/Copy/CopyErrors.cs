using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Copy;

/// <summary>Builds the copy's user errors, positioned at the instruction when the request knows where it is.</summary>
internal sealed class CopyErrors(SourceLocation? location)
{
    public ContainerizeException Create(string code, string message, Exception? inner = null) =>
        location is { } l ? new ContainerizeException(code, message, l, inner) : new ContainerizeException(code, message, inner);
}
