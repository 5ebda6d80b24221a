namespace Containerize.Engine.Copy;

/// <summary>Where <see cref="SourceTreeCollector"/> puts the entries it finds: the layer's tree, or a checksum of them.</summary>
internal interface ICopyEntrySink
{
    void Add(string imagePath, CopyEntry entry);
}
