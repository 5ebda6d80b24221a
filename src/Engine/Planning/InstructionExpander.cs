using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;
using Containerize.Engine.Dockerfile.Instructions;

namespace Containerize.Engine.Planning;

/// <summary>
/// Expands an instruction's words where <see cref="ExpansionRules"/> says Docker does, returning
/// a copy of the same instruction type. ENV and ARG are expanded here too, but their effect on the
/// scope is the stage planner's business. Errors carry the instruction's position.
/// Heredoc bodies of COPY and ADD are expanded as BuildKit does (<see cref="ShellLexer.ForHeredocBodies"/>)
/// unless their delimiter was quoted; RUN heredocs are left to the shell.
/// </summary>
internal sealed class InstructionExpander(ShellLexer lexer, string path)
{
    public Instruction Expand(Instruction instruction, IVariableLookup variables)
    {
        var words = WordsFor(instruction, variables);
        return instruction switch
        {
            CopyInstruction copy => copy with { Files = Files(copy.Files, words), From = words.Optional(copy.From) },
            AddInstruction add => add with { Files = Files(add.Files, words), Checksum = words.Optional(add.Checksum) },
            EnvInstruction env => env with { Variables = env.Variables.Select(kv => new KeyValue(words.One(kv.Key), words.One(kv.Value))).ToList() },
            LabelInstruction label => label with { Labels = label.Labels.Select(kv => new KeyValue(words.One(kv.Key), words.One(kv.Value))).ToList() },
            ArgInstruction arg => arg with { Args = arg.Args.Select(a => new ArgDeclaration(words.One(a.Name), words.Optional(a.DefaultValue))).ToList() },
            ExposeInstruction expose => expose with { Ports = expose.Ports.SelectMany(words.Many).ToList() },
            VolumeInstruction volume => volume with { Paths = volume.Paths.Select(words.One).ToList() },
            WorkdirInstruction workdir => workdir with { Path = words.One(workdir.Path) },
            UserInstruction user => user with { User = words.One(user.User) },
            StopSignalInstruction signal => signal with { Signal = words.One(signal.Signal) },
            RunInstruction run => run with { Mounts = run.Mounts.Select(m => RunMountExpander.Expand(m, words)).ToList() },
            _ => instruction,
        };
    }

    public Words WordsFor(Instruction instruction, IVariableLookup variables) =>
        new(lexer, variables, LocationOf(instruction));

    public SourceLocation LocationOf(Instruction instruction) =>
        new(path, instruction.Range.StartLine, instruction.Range.StartColumn);

    private static FileTransfer Files(FileTransfer files, Words words) => files with
    {
        SourcePaths = files.SourcePaths.Select(words.One).ToList(),
        SourceContents = files.SourceContents.Select(words.Heredoc).ToList(),
        Destination = words.One(files.Destination),
        Chown = words.Optional(files.Chown),
        Chmod = words.Optional(files.Chmod),
    };
}

/// <summary>The lexer bound to one instruction's variables and position.</summary>
internal sealed class Words(ShellLexer lexer, IVariableLookup variables, SourceLocation location)
{
    public SourceLocation Location => location;

    public string One(string word) => lexer.ProcessWord(word, variables, location).Result;

    public string? Optional(string? word) => word is null ? null : One(word);

    public IReadOnlyList<string> Many(string text) => lexer.ProcessWords(text, variables, location).Words;

    /// <summary>A COPY/ADD heredoc with its body expanded when the delimiter was unquoted.</summary>
    public HeredocSource Heredoc(HeredocSource source) => source.Expand
        ? source with { Data = ShellLexer.ForHeredocBodies.ProcessWord(source.Data, variables, location).Result }
        : source;
}
