namespace Containerize.Engine.Layers;

/// <summary>How entry modification times are written into a layer.</summary>
public enum TimestampMode
{
    /// <summary>Every entry gets <see cref="LayerOptions.Timestamp"/>: the layer does not depend on when files were touched.</summary>
    Fixed,

    /// <summary>Each entry keeps its own mtime unless it is later than <see cref="LayerOptions.Timestamp"/> (SOURCE_DATE_EPOCH, as BuildKit).</summary>
    Clamp,
}
