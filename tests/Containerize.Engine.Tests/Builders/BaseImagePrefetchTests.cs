using static Containerize.Engine.Tests.Planning.Planner;
using Containerize.Engine.Builders;

namespace Containerize.Engine.Tests.Builders;

/// <summary>Which images' layers a build fetches from its start: those a needed stage reads files from, and no others.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class BaseImagePrefetchTests
{
    [TestMethod]
    public async Task ImagesWhoseFilesAStageReadsAreFetchedOthersAreNot()
    {
        var plan = await PlanAsync("""
            FROM golang:1.23 AS build
            RUN go build -o /out/app
            FROM alpine:3.20 AS tools
            FROM tools AS curl
            RUN apk add curl
            FROM debian:12 AS metadata
            LABEL only=config
            FROM node:22 AS unused
            RUN npm run docs
            FROM metadata
            COPY --from=build /out/app /app
            COPY --from=curl /usr/bin/curl /curl
            COPY --from=busybox:1.36 /bin/busybox /busybox
            """);

        var fetched = BaseImagePrefetch.ImagesToRead(plan.Stages).Select(i => i.Image.Reference.ToFamiliarString()).ToList();

        CollectionAssert.AreEquivalent(new[] { "golang:1.23", "alpine:3.20", "busybox:1.36", "debian:12" }, fetched,
            "golang and alpine (through FROM tools) have RUN steps, busybox is copied from, debian's files are where COPY writes; node is never built");
    }

    [TestMethod]
    public async Task AStageWithOnlyMetadataDoesNotFetchItsBaseLayers()
    {
        var plan = await PlanAsync("FROM debian:12\nLABEL only=config\nENV A=b\n");

        Assert.AreEqual(0, BaseImagePrefetch.ImagesToRead(plan.Stages).Count());
    }
}
