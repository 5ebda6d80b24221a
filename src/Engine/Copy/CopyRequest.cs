using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Copy;

/// <summary>One COPY or ADD with its words already expanded; <see cref="FileCopier"/> turns it into a layer.</summary>
public sealed record CopyRequest
{
    /// <summary>Source words relative to <see cref="SourceRoot"/>; a leading '/' is relative to the root too.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Where the sources land; a relative destination resolves against <see cref="WorkingDirectory"/>.</summary>
    public required string Destination { get; init; }

    public string WorkingDirectory { get; init; } = "/";

    /// <summary>The build context, a named context or an unpacked stage rootfs.</summary>
    public required string SourceRoot { get; init; }

    /// <summary>The context's .dockerignore: what it matches is invisible to the copy. Null for stages.</summary>
    public IgnorePatterns? SourceFilter { get; init; }

    /// <summary>--exclude patterns, .dockerignore syntax.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>--parents: keep each source's directories below the root (or below a "/./" pivot in the word).</summary>
    public bool Parents { get; init; }

    /// <summary>--chown: user[:group], names or numeric ids.</summary>
    public string? Chown { get; init; }

    /// <summary>--chmod: octal (755) or symbolic (u+x,g-w).</summary>
    public string? Chmod { get; init; }

    /// <summary>
    /// ADD: local tar archives (plain, gzip, bzip2, xz; recognized by content) are extracted, and
    /// sources may be URLs (http://, https://) or git repositories (git@host:path, git://, ssh://,
    /// or an http(s) URL ending in .git, each with an optional #ref or #ref:subdir).
    /// </summary>
    public bool IsAdd { get; init; }

    /// <summary>ADD --unpack: null extracts local archives but not downloaded ones; true extracts both; false neither.</summary>
    public bool? Unpack { get; init; }

    /// <summary>ADD --checksum: "sha256:&lt;hex&gt;" of a URL's bytes, or a hex prefix of the commit a git ref resolves to. One remote source only.</summary>
    public string? Checksum { get; init; }

    /// <summary>ADD --keep-git-dir: a git source keeps its .git directory.</summary>
    public bool KeepGitDir { get; init; }

    /// <summary>COPY &lt;&lt;EOF /dest: files whose content is given inline.</summary>
    public IReadOnlyList<HeredocFile> Heredocs { get; init; } = [];

    /// <summary>Clamps file times; also the time of created directories and heredoc files (Unix epoch when null).</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>ADD of a URL: a download that receives nothing this long fails (ContainerNetworkIdleTimeout).</summary>
    public TimeSpan NetworkIdleTimeout { get; init; } = IO.NetworkIdleTimeout.Default;

    /// <summary>Where the instruction is written; attached to every error the copy raises.</summary>
    public SourceLocation? Location { get; init; }

    internal string InstructionName => IsAdd ? "ADD" : "COPY";
}

/// <summary>A heredoc source: the file name it was introduced with and its (already expanded) content.</summary>
public sealed record HeredocFile(string Name, string Content);
