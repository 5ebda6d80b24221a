using System.Security.Cryptography;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Copy;

/// <summary>ADD --checksum for a URL: an OCI digest ("sha256:…", also sha384 and sha512) the downloaded bytes must have.</summary>
internal sealed record HttpChecksum(HashAlgorithmName Algorithm, string Digest)
{
    public static HttpChecksum Parse(string checksum, CopyErrors errors)
    {
        int colon = checksum.IndexOf(':');
        string algorithm = colon < 0 ? "" : checksum[..colon];
        string hex = colon < 0 ? "" : checksum[(colon + 1)..];
        (HashAlgorithmName Name, int Length)? known = algorithm switch
        {
            "sha256" => (HashAlgorithmName.SHA256, 64),
            "sha384" => (HashAlgorithmName.SHA384, 96),
            "sha512" => (HashAlgorithmName.SHA512, 128),
            _ => null,
        };
        if (known is not { } k || hex.Length != k.Length || !hex.All(char.IsAsciiHexDigitLower))
        {
            throw errors.Create(ErrorCodes.InvalidAddChecksum,
                $"--checksum={checksum} is not a digest: for a URL write the algorithm and the lowercase hex hash of the file, e.g. --checksum=sha256:<64 hex digits> (sha256sum prints it).");
        }
        return new HttpChecksum(k.Name, checksum);
    }
}
