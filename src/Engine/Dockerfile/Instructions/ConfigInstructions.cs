using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>A <c>key=value</c> pair of ENV or LABEL, both raw (quotes kept).</summary>
public sealed record KeyValue(string Key, string Value);

/// <summary>An ARG declaration: name and raw default (null when none is given).</summary>
public sealed record ArgDeclaration(string Name, string? DefaultValue);

public sealed record EnvInstruction(SourceRange Range, IReadOnlyList<KeyValue> Variables) : Instruction(Range)
{
    public override string Keyword => "ENV";
}

public sealed record LabelInstruction(SourceRange Range, IReadOnlyList<KeyValue> Labels) : Instruction(Range)
{
    public override string Keyword => "LABEL";
}

public sealed record ArgInstruction(SourceRange Range, IReadOnlyList<ArgDeclaration> Args) : Instruction(Range)
{
    public override string Keyword => "ARG";
}

public sealed record WorkdirInstruction(SourceRange Range, string Path) : Instruction(Range)
{
    public override string Keyword => "WORKDIR";
}

public sealed record UserInstruction(SourceRange Range, string User) : Instruction(Range)
{
    public override string Keyword => "USER";
}

public sealed record ExposeInstruction(SourceRange Range, IReadOnlyList<string> Ports) : Instruction(Range)
{
    public override string Keyword => "EXPOSE";
}

public sealed record VolumeInstruction(SourceRange Range, IReadOnlyList<string> Paths) : Instruction(Range)
{
    public override string Keyword => "VOLUME";
}

public sealed record StopSignalInstruction(SourceRange Range, string Signal) : Instruction(Range)
{
    public override string Keyword => "STOPSIGNAL";
}

/// <summary>Deprecated <c>MAINTAINER</c>; Docker turns it into the <c>maintainer</c> label-like author field.</summary>
public sealed record MaintainerInstruction(SourceRange Range, string Maintainer) : Instruction(Range)
{
    public override string Keyword => "MAINTAINER";
}
