using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Steps;

/// <summary>EXPOSE values as Docker reads them (<see cref="PortSpec"/>), with the error placed at the instruction.</summary>
public static class ExposedPorts
{
    public static IReadOnlyList<string> Expand(string value, SourceLocation location) =>
        PortSpec.TryParse(value, out var ports)
            ? ports
            : throw new ContainerizeException(ErrorCodes.InvalidInstructionArgument,
                $"EXPOSE '{value}' is not a port: use a number from 1 to {PortSpec.MaxPort} or a range such as 8000-8010, optionally with /tcp, /udp or /sctp.", location);
}
