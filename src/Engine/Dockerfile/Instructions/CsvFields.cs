using System.Text;

namespace Containerize.Engine.Dockerfile.Instructions;

/// <summary>One CSV record's fields (comma separated, <c>"…"</c> quoting with <c>""</c> for a quote), as flag values use.</summary>
internal static class CsvFields
{
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, atStart = true;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                else quoted = false;
            }
            else if (c == '"' && atStart) quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                atStart = true;
                continue;
            }
            else field.Append(c);
            atStart = false;
        }
        if (quoted) throw InstructionException.Mount($"unterminated quote in '{line}'");
        fields.Add(field.ToString());
        return fields;
    }
}
