using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Tests.Builders;

/// <summary>The settings the MSBuild tasks and the CLI both read, parsed once: what is taken, and the error that names the setting.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class InputSettingTests
{
    [TestMethod]
    [DataRow("oci", ImageFormat.Oci)]
    [DataRow(" Docker ", ImageFormat.Docker)]
    [DataRow("OCI", ImageFormat.Oci)]
    public void AnImageFormatIsTakenInAnyCase(string value, ImageFormat expected) =>
        Assert.AreEqual(expected, ImageFormatSetting.Parse(value, "ContainerImageFormat"));

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  ")]
    public void AnEmptyImageFormatIsUnset(string? value) => Assert.IsNull(ImageFormatSetting.Parse(value, "--format"));

    [TestMethod]
    public void AnUnknownImageFormatNamesTheSettingAndTheChoices()
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => ImageFormatSetting.Parse("v2s2", "--format"));

        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        Assert.AreEqual("--format 'v2s2' is not known: use OCI or Docker.", e.Message);
    }

    [TestMethod]
    [DataRow("0", 0L)]
    [DataRow(" 1700000000 ", 1700000000L)]
    [DataRow("253402300799", 253402300799L)]
    public void ASourceDateEpochIsSecondsSince1970(string value, long seconds) =>
        Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(seconds), SourceDateEpoch.Parse(value));

    [TestMethod]
    [DataRow("abc")]
    [DataRow("-5")]
    [DataRow("1.5")]
    [DataRow("253402300800")]
    [DataRow("99999999999999999999")]
    public void AnythingElseIsAnErrorNamingSourceDateEpoch(string value)
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => SourceDateEpoch.Parse(value));

        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        StringAssert.StartsWith(e.Message, $"SOURCE_DATE_EPOCH '{value}' is not a number of seconds since 1970-01-01");
    }
}
