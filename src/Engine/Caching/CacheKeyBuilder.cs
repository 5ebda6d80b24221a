using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Caching;

/// <summary>
/// Hashes the parts of a step's cache key: each part is length-prefixed, so no two different
/// sequences of parts give the same bytes. The kind and a schema version come first, so keys of
/// different kinds or of an older layout never meet.
/// </summary>
internal sealed class CacheKeyBuilder : IDisposable
{
    private const string Schema = "containerize.cache.v1";
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public CacheKeyBuilder(string kind)
    {
        Add(Schema).Add(kind);
    }

    public CacheKeyBuilder Add(string? value)
    {
        if (value is null) return AddLength(-1);
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        AddLength(bytes.Length);
        _hash.AppendData(bytes);
        return this;
    }

    public CacheKeyBuilder Add(Digest digest) => Add(digest.ToString());

    public CacheKeyBuilder Add(bool value) => Add(value ? "true" : "false");

    public CacheKeyBuilder Add(IEnumerable<string> values)
    {
        var list = values.ToList();
        AddLength(list.Count);
        foreach (string value in list) Add(value);
        return this;
    }

    public Digest Build() => Digest.FromHash("sha256", _hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();

    private CacheKeyBuilder AddLength(long length)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(prefix, length);
        _hash.AppendData(prefix);
        return this;
    }

    public static Digest Of(string kind, Action<CacheKeyBuilder> parts)
    {
        using var builder = new CacheKeyBuilder(kind);
        parts(builder);
        return builder.Build();
    }
}
