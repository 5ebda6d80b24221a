using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Execution;
using Containerize.Engine.Planning;

namespace Containerize.Engine.Steps;

/// <summary>
/// What a RUN step may ask of the build machine. <c>--network=none</c> is always allowed;
/// <c>--network=host</c> only with the network.host entitlement (or a build whose default network is
/// the host's), as BuildKit refuses it otherwise; <c>--security=insecure</c> never. A step without
/// <c>--network</c> gets the build's default.
/// </summary>
internal static class RunEntitlements
{
    /// <summary>The network the step runs on, which is also what its cache key holds.</summary>
    public static ContainerNetwork Network(RunNetwork requested, ContainerNetwork buildDefault) => requested switch
    {
        RunNetwork.None => ContainerNetwork.None,
        RunNetwork.Host => ContainerNetwork.Host,
        _ => buildDefault,
    };

    /// <summary>
    /// The first RUN of the plan that asks for more than was granted is an error at its line, before
    /// any step runs (BuildKit refuses such a build when it loads it), so that a Dockerfile cannot
    /// run one step on the host's network after others ran in the sandbox.
    /// </summary>
    public static void EnsureGranted(BuildPlan plan, BuildSettings settings, string dockerfilePath)
    {
        bool hostGranted = settings.Entitlements.NetworkHost || settings.RunNetwork == ContainerNetwork.Host;
        foreach (var step in plan.Stages.SelectMany(s => s.Steps))
        {
            if (step.Instruction is not RunInstruction run) continue;
            var location = new SourceLocation(dockerfilePath, step.Range.StartLine, step.Range.StartColumn);
            if (run.Security == RunSecurity.Insecure)
            {
                throw new ContainerizeException(ErrorCodes.RunMountNotAvailable,
                    "RUN --security=insecure is not allowed: steps run with Docker's default capabilities, as BuildKit does without the security.insecure entitlement. Remove the flag.", location);
            }
            if (run.Network == RunNetwork.Host && !hostGranted)
            {
                throw new ContainerizeException(ErrorCodes.NetworkHostNotAllowed,
                    $"RUN --network=host needs the {BuildEntitlements.NetworkHostName} entitlement: the step would share the build machine's network, "
                    + $"services listening only on its loopback included. Grant it with ContainerAllow={BuildEntitlements.NetworkHostName} (MSBuild) "
                    + $"or --allow {BuildEntitlements.NetworkHostName} (containerize build) if you trust this Dockerfile, or remove the flag.", location);
            }
        }
    }
}
