using Containerize.Engine.Layers;

namespace Containerize.Engine.Tests.Layers;

internal static class ExtractHelper
{
    public static void Extract(string layerPath, string target, ExtractOptions? options = null)
    {
        using var stream = File.OpenRead(layerPath);
        LayerExtractor.ExtractAsync(stream, target, options ?? new ExtractOptions(), CancellationToken.None).GetAwaiter().GetResult();
    }
}
