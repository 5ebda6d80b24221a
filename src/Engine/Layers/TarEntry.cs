namespace Containerize.Engine.Layers;

/// <summary>
/// One tar entry's header. <see cref="Name"/> is relative, '/'-separated, with a trailing '/' for
/// directories; <see cref="Mode"/> holds the 12 permission bits (setuid/setgid/sticky included).
/// </summary>
internal sealed record TarEntry
{
    public required string Name { get; init; }
    public required TarEntryType Type { get; init; }
    public int Mode { get; init; }
    public long Uid { get; init; }
    public long Gid { get; init; }
    public long Size { get; init; }
    public long MtimeSeconds { get; init; }
    public string LinkName { get; init; } = "";
    public int DeviceMajor { get; init; }
    public int DeviceMinor { get; init; }
    public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }
}
