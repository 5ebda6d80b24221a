using Containerize.Engine.Errors;
using Containerize.Engine.Oci;

namespace Containerize.Engine.ImageFileSystem;

/// <summary>Turns the stream errors a damaged layer blob can raise into <see cref="ErrorCodes.CorruptLayer"/>.</summary>
internal static class LayerReadErrors
{
    public static T Guard<T>(Descriptor layer, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidDataException or IOException and not FileNotFoundException)
        {
            throw new ContainerizeException(ErrorCodes.CorruptLayer,
                $"The layer {layer.Digest} cannot be read: {e.Message}. The blob is corrupt; pull or build it again.", e);
        }
    }
}
