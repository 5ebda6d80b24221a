namespace Containerize.Engine.Layers;

/// <summary>A tar entry to write and, for a regular file, the file its content comes from.</summary>
internal sealed record LayerSourceEntry(TarEntry Entry, string? ContentPath);
