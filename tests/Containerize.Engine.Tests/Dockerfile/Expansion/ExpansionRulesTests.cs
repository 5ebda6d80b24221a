using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>
/// The Dockerfile reference, "Environment replacement": variables are supported by ADD, COPY, ENV,
/// EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR (and ONBUILD through its trigger);
/// BuildKit adds ARG and the flags below.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class ExpansionRulesTests
{
    [TestMethod]
    [DataRow("ADD")]
    [DataRow("COPY")]
    [DataRow("ENV")]
    [DataRow("EXPOSE")]
    [DataRow("FROM")]
    [DataRow("LABEL")]
    [DataRow("STOPSIGNAL")]
    [DataRow("USER")]
    [DataRow("VOLUME")]
    [DataRow("WORKDIR")]
    [DataRow("ARG")]
    [DataRow("workdir")]
    public void TheReferenceListExpands(string keyword) => Assert.IsTrue(ExpansionRules.ExpandsArguments(keyword));

    [TestMethod]
    [DataRow("RUN")]
    [DataRow("CMD")]
    [DataRow("ENTRYPOINT")]
    [DataRow("SHELL")]
    [DataRow("HEALTHCHECK")]
    [DataRow("MAINTAINER")]
    [DataRow("ONBUILD")]
    [DataRow("NOTANINSTRUCTION")]
    public void CommandsAreLeftToTheShell(string keyword) => Assert.IsFalse(ExpansionRules.ExpandsArguments(keyword));

    [TestMethod]
    [DataRow("COPY", "--chown")]
    [DataRow("COPY", "chmod")]
    [DataRow("COPY", "--from")]
    [DataRow("ADD", "--chown")]
    [DataRow("ADD", "--chmod")]
    [DataRow("ADD", "--checksum")]
    [DataRow("FROM", "--platform")]
    [DataRow("run", "--mount")]
    public void FlagsThatExpand(string keyword, string flag) => Assert.IsTrue(ExpansionRules.ExpandsFlag(keyword, flag));

    [TestMethod]
    [DataRow("COPY", "--link")]
    [DataRow("COPY", "--parents")]
    [DataRow("ADD", "--keep-git-dir")]
    [DataRow("RUN", "--network")]
    [DataRow("RUN", "--security")]
    [DataRow("HEALTHCHECK", "--interval")]
    [DataRow("ONBUILD", "--from")]
    public void FlagsThatDoNot(string keyword, string flag) => Assert.IsFalse(ExpansionRules.ExpandsFlag(keyword, flag));

    [TestMethod]
    public void EveryKeywordIsKnown() =>
        CollectionAssert.AreEquivalent(
            new[] { "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR" },
            ExpansionRules.Keywords.ToList());
}
