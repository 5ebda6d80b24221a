using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Execution;
using Containerize.Engine.Steps;

namespace Containerize.Engine.Tests.Builders;

/// <summary>The network settings as users write them (ContainerRunNetwork, ContainerAllow, --network, --allow) and the network a RUN step then gets.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class RunNetworkSettingsTests
{
    [TestMethod]
    [DataRow(null, ContainerNetwork.Default)]
    [DataRow("", ContainerNetwork.Default)]
    [DataRow("default", ContainerNetwork.Default)]
    [DataRow(" Host ", ContainerNetwork.Host)]
    [DataRow("none", ContainerNetwork.None)]
    public void ANetworkSettingNamesDefaultHostOrNone(string? text, ContainerNetwork expected) =>
        Assert.AreEqual(expected, RunNetworkSetting.Parse(text, "ContainerRunNetwork"));

    [TestMethod]
    public void AnyOtherNetworkIsAnErrorNamingTheSettingAndTheChoices()
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => RunNetworkSetting.Parse("bridge", "--network"));

        Assert.AreEqual(ErrorCodes.InvalidRunNetwork, e.Code);
        StringAssert.StartsWith(e.Message, "--network 'bridge' is not a network");
        foreach (string choice in new[] { "default", "host", "none" }) StringAssert.Contains(e.Message, choice);
    }

    [TestMethod]
    public void EntitlementsAreGrantedByNameRepeatedOrCommaSeparated()
    {
        Assert.AreEqual(BuildEntitlements.None, BuildEntitlements.Parse([], "--allow"));
        Assert.IsTrue(BuildEntitlements.Parse(["network.host"], "ContainerAllow").NetworkHost);
        Assert.IsTrue(BuildEntitlements.Parse(["network.host,NETWORK.HOST", " "], "--allow").NetworkHost);
    }

    [TestMethod]
    public void SecurityInsecureIsRefusedAsNotSupportedAndAnUnknownNameAsUnknown()
    {
        var insecure = Assert.ThrowsExactly<ContainerizeException>(() => BuildEntitlements.Parse(["network.host,security.insecure"], "--allow"));
        var unknown = Assert.ThrowsExactly<ContainerizeException>(() => BuildEntitlements.Parse(["network.hots"], "ContainerAllow"));

        Assert.AreEqual(ErrorCodes.InvalidEntitlement, insecure.Code);
        StringAssert.StartsWith(insecure.Message, "--allow 'security.insecure' is not supported");
        Assert.AreEqual(ErrorCodes.InvalidEntitlement, unknown.Code);
        StringAssert.StartsWith(unknown.Message, "ContainerAllow 'network.hots' is not a known entitlement");
        StringAssert.Contains(unknown.Message, "network.host");
    }

    [TestMethod]
    [DataRow(RunNetwork.Default, ContainerNetwork.None, ContainerNetwork.None)]
    [DataRow(RunNetwork.Default, ContainerNetwork.Host, ContainerNetwork.Host)]
    [DataRow(RunNetwork.Default, ContainerNetwork.Default, ContainerNetwork.Default)]
    [DataRow(RunNetwork.None, ContainerNetwork.Host, ContainerNetwork.None)]
    [DataRow(RunNetwork.Host, ContainerNetwork.None, ContainerNetwork.Host)]
    public void AStepWithoutNetworkGetsTheBuildsDefaultAndAFlagWins(RunNetwork requested, ContainerNetwork buildDefault, ContainerNetwork expected) =>
        Assert.AreEqual(expected, RunEntitlements.Network(requested, buildDefault));
}
