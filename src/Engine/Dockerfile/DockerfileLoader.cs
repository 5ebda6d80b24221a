using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Dockerfile;

/// <summary>Dockerfile text to typed instructions: the parser, then the instruction models.</summary>
public static class DockerfileLoader
{
    public static DockerfileSyntax Load(string text, string path) => DockerfileParser.Parse(text, path);
}
