namespace Containerize.HelperProtocol;

/// <summary>The helper's commands (its first argument); Program.cs in the helper says what each does.</summary>
internal static class HelperCommands
{
    /// <summary><c>launch &lt;parent-pid&gt; &lt;program&gt; &lt;args…&gt;</c></summary>
    public const string Launch = "launch";

    /// <summary><c>run &lt;scratch&gt;</c></summary>
    public const string Run = "run";

    /// <summary><c>chown &lt;dir&gt; &lt;records&gt;</c></summary>
    public const string ApplyOwners = "chown";

    /// <summary><c>own &lt;dir&gt; &lt;records&gt;</c></summary>
    public const string TakeOwnership = "own";

    /// <summary><c>remove &lt;dir&gt;</c></summary>
    public const string Remove = "remove";
}
