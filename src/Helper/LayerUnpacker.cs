namespace Containerize.Helper;

internal static class LayerUnpacker
{
    public static void Extract(Stream tar, string target) => throw new HelperException(HelperException.Extract, "not implemented yet");
}
