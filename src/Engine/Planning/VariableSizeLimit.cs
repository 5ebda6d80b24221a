using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Planning;

/// <summary>
/// How much ARG and ENV text a scope (a stage, with its base image's Env, or the ARGs before the
/// first FROM) may hold. Each word is bounded by the lexer, but a few hundred lines that each
/// expand to a megabyte would still fill memory; no process could start with such an environment anyway.
/// </summary>
internal static class VariableSizeLimit
{
    public const long MaxCharacters = 8 << 20;

    public static void Check(long characters, SourceLocation location)
    {
        if (characters <= MaxCharacters) return;
        throw new ContainerizeException(ErrorCodes.VariablesTooLarge,
            $"The ARG and ENV values in scope here (the base image's Env included) total {characters} characters, more than {MaxCharacters} (8 MiB). "
            + "Linux gives a process about 2 MiB for its arguments and environment together: keep large data in files (COPY) instead of variables.", location);
    }
}
