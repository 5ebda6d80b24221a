using System.Text;

namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// Finds a shell pattern in text by simulating its automaton over all threads at once, so time is
/// bounded by text length times pattern length whatever the input (no backtracking). Semantics are
/// those of the leftmost-first regular expressions BuildKit uses: the leftmost start wins, then
/// the longest (all stars greedy) or shortest (all stars lazy) end — for star/question/literal
/// patterns those priorities are exactly longest and shortest.
/// </summary>
internal static class PatternMatcher
{
    private const int NoThread = int.MaxValue;

    /// <summary>The match starting at or after <paramref name="from"/> (at it when anchored), or null.</summary>
    public static (int Start, int End)? Find(PatternToken[] tokens, Rune[] text, int from, bool anchored, bool longest)
    {
        int stateCount = tokens.Length + 1;
        // Per automaton state, the earliest start among threads there: a later start in the same
        // state can never beat it under leftmost-first rules.
        var current = new int[stateCount];
        var next = new int[stateCount];
        Array.Fill(current, NoThread);
        (int Start, int End)? best = null;

        for (int position = from; ; position++)
        {
            if (best is null && (!anchored || position == from))
                current[0] = Math.Min(current[0], position);
            FollowEmptyStringMatches(tokens, current);

            int accepted = current[tokens.Length];
            if (accepted != NoThread)
            {
                if (best is not { } found || accepted < found.Start || (accepted == found.Start && longest))
                    best = (accepted, position);
                if (!longest && anchored) return best;
            }
            if (best is { } leader) DropThreadsStartingAfter(current, leader.Start);

            if (position >= text.Length) break;
            bool alive = Step(tokens, current, next, text[position]);
            (current, next) = (next, current);
            if (!alive && (anchored || best is not null)) break;
        }
        return best;
    }

    private static void FollowEmptyStringMatches(PatternToken[] tokens, int[] states)
    {
        // Ascending order carries a thread across consecutive stars in one pass.
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Kind == PatternTokenKind.AnyString && states[i] < states[i + 1])
                states[i + 1] = states[i];
        }
    }

    private static void DropThreadsStartingAfter(int[] states, int start)
    {
        for (int i = 0; i < states.Length; i++)
        {
            if (states[i] != NoThread && states[i] > start) states[i] = NoThread;
        }
    }

    private static bool Step(PatternToken[] tokens, int[] current, int[] next, Rune rune)
    {
        Array.Fill(next, NoThread);
        bool alive = false;
        for (int i = 0; i < tokens.Length; i++)
        {
            int start = current[i];
            if (start == NoThread || !tokens[i].Accepts(rune)) continue;
            int target = tokens[i].Kind == PatternTokenKind.AnyString ? i : i + 1;
            if (start < next[target]) next[target] = start;
            alive = true;
        }
        return alive;
    }
}
