using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.Registry;

namespace Containerize.Engine.Tests.IO;

/// <summary>Where the idle timeout comes from: the setting, else CONTAINERIZE_NETWORK_IDLE_TIMEOUT, else 60 s; nonsense is refused.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class NetworkIdleTimeoutTests
{
    private static RegistryOptions Options(string? environment) => new()
    {
        GetEnvironmentVariable = name => name == NetworkIdleTimeout.EnvironmentVariable ? environment : null,
    };

    [TestMethod]
    public void TheSettingWinsOverTheEnvironmentWhichWinsOverTheDefault()
    {
        Assert.AreEqual(TimeSpan.FromSeconds(5), (Options("30") with { NetworkIdleTimeout = TimeSpan.FromSeconds(5) }).ResolveIdleTimeout());
        Assert.AreEqual(TimeSpan.FromSeconds(30), Options("30").ResolveIdleTimeout());
        Assert.AreEqual(TimeSpan.FromSeconds(60), Options(null).ResolveIdleTimeout());
        Assert.AreEqual(TimeSpan.FromSeconds(1.5), NetworkIdleTimeout.Parse(" 1.5 ", "--network-idle-timeout"));
        Assert.IsNull(NetworkIdleTimeout.Parse("", "ContainerNetworkIdleTimeout"));
    }

    [TestMethod]
    [DataRow("0")]
    [DataRow("-3")]
    [DataRow("ten")]
    [DataRow("1e9")]
    public void AValueThatIsNotAPositiveNumberOfSecondsIsRefused(string value)
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => NetworkIdleTimeout.Parse(value, "ContainerNetworkIdleTimeout"));
        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        StringAssert.Contains(e.Message, "ContainerNetworkIdleTimeout");
        StringAssert.Contains(e.Message, value);
    }

    [TestMethod]
    public void AnInvalidEnvironmentValueIsRefusedNamingTheVariable()
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => Options("soon").ResolveIdleTimeout());
        StringAssert.Contains(e.Message, NetworkIdleTimeout.EnvironmentVariable);
    }
}
