namespace Containerize.Engine.Layers;

/// <summary>The ustar type flags a layer uses.</summary>
internal enum TarEntryType : byte
{
    RegularFile = (byte)'0',
    HardLink = (byte)'1',
    SymbolicLink = (byte)'2',
    CharacterDevice = (byte)'3',
    BlockDevice = (byte)'4',
    Directory = (byte)'5',
    Fifo = (byte)'6',
}
