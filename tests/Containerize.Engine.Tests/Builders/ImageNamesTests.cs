using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Builders;

[TestCategory("Unit")]
[TestClass]
public class ImageNamesTests
{
    [TestMethod]
    [DataRow("HelloApp", "helloapp")]
    [DataRow("My.Web_App", "my.web_app")]
    [DataRow("Contoso Orders API", "contoso-orders-api")]
    [DataRow("-Leading.Dash-", "leading.dash")]
    public void ProjectNamesBecomeValidRepositories(string project, string repository) =>
        Assert.AreEqual(repository, ImageNames.RepositoryFromProjectName(project));

    [TestMethod]
    public void ANameWithNothingUsableAsksForContainerRepository()
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => ImageNames.RepositoryFromProjectName("ÄÖÜ"));
        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        StringAssert.Contains(e.Message, "ContainerRepository");
    }

    [TestMethod]
    [DataRow("1.0.0", "1.0.0")]
    [DataRow("1.0.0-beta.2+sha.abc", "1.0.0-beta.2-sha.abc")]
    [DataRow("", "latest")]
    public void VersionsBecomeValidTags(string version, string tag) => Assert.AreEqual(tag, ImageNames.TagFromVersion(version));
}
