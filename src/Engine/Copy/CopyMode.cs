using System.Globalization;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Copy;

/// <summary>
/// --chmod: an octal mode replaces the permission bits; a symbolic mode (chmod(1) clauses such as
/// "u+x,g-w,o=r", letters rwxXst, no umask) edits each entry's own mode. BuildKit applies it to
/// every copied file and directory (directory sources' subdirectories and the directory a
/// directory source is copied onto included), never to symlinks, and not to destination parents
/// it has to create, which stay 0755.
/// </summary>
internal sealed class CopyMode
{
    private readonly int? _octal;
    private readonly IReadOnlyList<(int Who, char Op, string Perms)> _clauses;

    private CopyMode(int? octal, IReadOnlyList<(int, char, string)> clauses)
    {
        _octal = octal;
        _clauses = clauses;
    }

    public static CopyMode? Parse(string? chmod, CopyErrors errors)
    {
        if (string.IsNullOrEmpty(chmod)) return null;
        if (chmod.All(char.IsAsciiDigit))
        {
            if (chmod.Length <= 4 && int.TryParse(chmod, NumberStyles.None, CultureInfo.InvariantCulture, out _) && chmod.All(c => c <= '7'))
            {
                return new CopyMode(Convert.ToInt32(chmod, 8), []);
            }
            throw Invalid(chmod, errors);
        }
        var clauses = new List<(int, char, string)>();
        foreach (string clause in chmod.Split(','))
        {
            int i = 0;
            int who = 0;
            for (; i < clause.Length && "ugoa".Contains(clause[i]); i++)
            {
                who |= clause[i] switch { 'u' => 0b100_111_000_000, 'g' => 0b010_000_111_000, 'o' => 0b001_000_000_111, _ => 0b111_111_111_111 };
            }
            if (who == 0) who = 0b111_111_111_111;
            if (i == clause.Length) throw Invalid(chmod, errors);
            while (i < clause.Length)
            {
                char op = clause[i++];
                if (op is not ('+' or '-' or '=')) throw Invalid(chmod, errors);
                int start = i;
                while (i < clause.Length && "rwxXst".Contains(clause[i])) i++;
                clauses.Add((who, op, clause[start..i]));
            }
        }
        return new CopyMode(null, clauses);
    }

    /// <summary>The permission bits an entry gets, from its own bits.</summary>
    public int Apply(int mode, bool isDirectory)
    {
        if (_octal is { } octal) return octal;
        foreach (var (who, op, perms) in _clauses)
        {
            int bits = 0;
            foreach (char p in perms)
            {
                bits |= p switch
                {
                    'r' => 0b100_100_100,
                    'w' => 0b010_010_010,
                    'x' => 0b001_001_001,
                    'X' => isDirectory || (mode & 0b001_001_001) != 0 ? 0b001_001_001 : 0,
                    's' => 0b110_000_000_000,
                    _ => 0b001_000_000_000, // 't'
                };
            }
            bits &= who;
            mode = op switch { '+' => mode | bits, '-' => mode & ~bits, _ => (mode & ~who) | bits };
        }
        return mode & 0xFFF;
    }

    private static ContainerizeException Invalid(string chmod, CopyErrors errors) =>
        errors.Create(ErrorCodes.InvalidCopyChmod,
            $"--chmod={chmod} is neither an octal mode (e.g. 755, 0644) nor a symbolic one (e.g. u+x,g-w,o=r).");
}
