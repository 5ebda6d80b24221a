namespace Containerize.Engine.Execution;

/// <summary>Linux signal names (the numbering x86-64 and arm64 share) and what a death by each usually means.</summary>
internal static class ProcessSignals
{
    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
        "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU",
        "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    public static string Name(int signal) => signal switch
    {
        > 0 and < 32 => Names[signal],
        >= 34 and <= 64 => $"SIGRTMIN+{signal - 34}",
        _ => $"signal {signal}",
    };

    public static string Meaning(int signal) => signal switch
    {
        9 => "out of memory, or killed from outside?",
        11 => "a segmentation fault (the program used memory it does not own)",
        15 => "terminated from outside",
        6 => "it aborted (a failed assertion or a fatal runtime error?)",
        4 => "an illegal instruction (a binary for another CPU, or a CPU feature this machine lacks?)",
        7 => "a bus error (a file it mapped into memory shrank, or a misaligned access)",
        8 => "an arithmetic error (a division by zero?)",
        31 => "a bad system call (one the step's system call filter refuses?)",
        25 => "it passed the file size limit",
        24 => "it passed its CPU time limit",
        13 => "it wrote to a pipe nobody reads",
        2 => "interrupted",
        1 => "its terminal hung up",
        _ => "killed by a signal",
    };
}
