using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Instructions;

namespace Containerize.Engine.Planning;

/// <summary>
/// Expands every option value of a <c>RUN --mount</c>, then checks the numeric options the parser
/// left unchecked because they held a variable.
/// </summary>
internal static class RunMountExpander
{
    public static RunMount Expand(RunMount mount, Words words) => mount switch
    {
        BindMount bind => bind with { Target = words.Optional(bind.Target), From = words.Optional(bind.From), Source = words.Optional(bind.Source) },
        CacheMount cache => cache with
        {
            Target = words.Optional(cache.Target), Id = words.One(cache.Id), From = words.Optional(cache.From), Source = words.Optional(cache.Source),
            Mode = Octal(words.Optional(cache.Mode), words), Uid = Number(words.Optional(cache.Uid), "uid", words), Gid = Number(words.Optional(cache.Gid), "gid", words),
        },
        TmpfsMount tmpfs => tmpfs with { Target = words.Optional(tmpfs.Target), Size = words.Optional(tmpfs.Size) },
        SecretMount secret => secret with
        {
            Id = words.One(secret.Id), Target = words.Optional(secret.Target), Env = words.Optional(secret.Env),
            Mode = Octal(words.Optional(secret.Mode), words), Uid = Number(words.Optional(secret.Uid), "uid", words), Gid = Number(words.Optional(secret.Gid), "gid", words),
        },
        SshMount ssh => ssh with
        {
            Id = words.One(ssh.Id), Target = words.Optional(ssh.Target),
            Mode = Octal(words.Optional(ssh.Mode), words), Uid = Number(words.Optional(ssh.Uid), "uid", words), Gid = Number(words.Optional(ssh.Gid), "gid", words),
        },
        _ => mount,
    };

    private static string? Octal(string? value, Words words) =>
        value is null || (value.Length is > 0 and <= 11 && value.All(c => c is >= '0' and <= '7'))
            ? value
            : throw Invalid($"--mount option mode={value} is not a valid octal mode", words);

    private static string? Number(string? value, string key, Words words) =>
        value is null || uint.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? value
            : throw Invalid($"--mount option {key}={value} is not a valid number", words);

    private static ContainerizeException Invalid(string message, Words words) =>
        new(ErrorCodes.InvalidRunMount, $"RUN: {message}", words.Location);
}
