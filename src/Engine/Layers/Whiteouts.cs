namespace Containerize.Engine.Layers;

/// <summary>OCI whiteout names: <c>.wh.&lt;name&gt;</c> deletes a lower entry, <c>.wh..wh..opq</c> empties a lower directory.</summary>
internal static class Whiteouts
{
    public const string Prefix = ".wh.";
    public const string Opaque = ".wh..wh..opq";

    /// <summary>AUFS metadata (".wh..wh.plnk" and friends) that some old layers carry; it means nothing outside AUFS.</summary>
    public const string AufsMetaPrefix = ".wh..wh.";
}
