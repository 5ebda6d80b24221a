using System.Text;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>Deterministic mutations of Dockerfile text for the robustness test.</summary>
internal sealed class DockerfileMutator(int seed)
{
    private static readonly string[] Fragments =
    [
        "\\", "`", "\"", "'", "<<", "<<EOF", "<<-'EOF'", "EOF", "\n", "\r\n", "[", "]", "[\"a\", 1]", "#", "# escape=`\n",
        "# escape=\\\n", "# syntax=x\n", "=", "--", "--mount=type=cache", "--mount=type=secret,id=", "--from=", "--link=maybe",
        " ", "\t", "{", "$", "${", "ONBUILD ", "HEALTHCHECK --interval=0.5ms CMD ", "FROM a AS 9", "\0", "\uFEFF", "\u00a0", "\ud800",
    ];

    private readonly Random _random = new(seed);

    public string Mutate(string text)
    {
        int rounds = 1 + _random.Next(4);
        for (int i = 0; i < rounds; i++) text = MutateOnce(text);
        return text;
    }

    private string MutateOnce(string text)
    {
        var lines = text.Split('\n').ToList();
        int position = text.Length == 0 ? 0 : _random.Next(text.Length);
        switch (_random.Next(7))
        {
            case 0:
                return text.Length == 0 ? text : text.Remove(position, 1).Insert(position, ((char)_random.Next(1, 0x250)).ToString());
            case 1:
                return text[..position];
            case 2:
                int duplicate = _random.Next(lines.Count);
                lines.Insert(duplicate, lines[duplicate]);
                return string.Join('\n', lines);
            case 3:
                lines.RemoveAt(_random.Next(lines.Count));
                return string.Join('\n', lines);
            case 4:
                return text.Insert(position, Fragments[_random.Next(Fragments.Length)]);
            case 5:
                return Fragments[_random.Next(Fragments.Length)] + text;
            default:
                var builder = new StringBuilder(text);
                builder.Append(Fragments[_random.Next(Fragments.Length)]);
                return builder.ToString();
        }
    }
}
