using Containerize.Engine.Copy;

namespace Containerize.Engine.Steps;

/// <summary>What the steps of one build share: the folders they read, the content hashes so far, the build's settings and SOURCE_DATE_EPOCH.</summary>
internal sealed record StepServices(IStepSources Sources, ContentHasher Hasher, BuildSettings Settings, DateTimeOffset? SourceDateEpoch)
{
    /// <summary>The build-wide part of every key.</summary>
    public string BuildWide { get; } = BuildWideKey.For(SourceDateEpoch);
}
