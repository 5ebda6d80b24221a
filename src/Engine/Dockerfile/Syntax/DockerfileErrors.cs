using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>Builds positioned errors for a Dockerfile.</summary>
internal static class DockerfileErrors
{
    public static ContainerizeException At(string path, string code, string message, int line, int column = 0) =>
        new(code, message, new SourceLocation(path, line, column));
}
