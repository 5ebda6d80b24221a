namespace Containerize.Engine.Oci;

/// <summary>Which manifest and config media types an image is written with.</summary>
public enum ImageFormat
{
    Oci,
    Docker,
}
