using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>
/// An instruction-level failure before it is given its position; the instruction parser turns it
/// into a positioned <see cref="ContainerizeException"/>.
/// </summary>
internal sealed class InstructionException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public static InstructionException Flag(string message) => new(ErrorCodes.InvalidInstructionFlag, message);

    public static InstructionException UnknownFlag(string message) => new(ErrorCodes.UnknownInstructionFlag, message);

    public static InstructionException Arguments(string message) => new(ErrorCodes.InstructionArgumentCount, message);

    public static InstructionException Argument(string message) => new(ErrorCodes.InvalidInstructionArgument, message);

    public static InstructionException Mount(string message) => new(ErrorCodes.InvalidRunMount, message);
}
