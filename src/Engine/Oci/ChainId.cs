using System.Text;

namespace Containerize.Engine.Oci;

/// <summary>
/// The OCI chain ID of a stack of layers: the bottom layer's diff ID, then for each layer on top
/// <c>sha256(chainID(below) + " " + diffID)</c>; it names the tree the stack applies to, as
/// containerd's snapshots do.
/// </summary>
public static class ChainId
{
    /// <summary>The chain ID of each prefix of <paramref name="diffIdsBottomFirst"/>.</summary>
    public static IReadOnlyList<Digest> Of(IReadOnlyList<Digest> diffIdsBottomFirst)
    {
        ArgumentNullException.ThrowIfNull(diffIdsBottomFirst);
        var chain = new Digest[diffIdsBottomFirst.Count];
        for (int i = 0; i < chain.Length; i++)
        {
            chain[i] = i == 0 ? diffIdsBottomFirst[0] : Digest.Sha256(Encoding.ASCII.GetBytes($"{chain[i - 1]} {diffIdsBottomFirst[i]}"));
        }
        return chain;
    }
}
