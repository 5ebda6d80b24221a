namespace Containerize.Engine.Execution;

/// <summary>One line of <c>/proc/&lt;pid&gt;/uid_map</c>: ids <see cref="ContainerId"/>.. inside the namespace are <see cref="HostId"/>.. outside.</summary>
public readonly record struct IdRange(long ContainerId, long HostId, long Count);
