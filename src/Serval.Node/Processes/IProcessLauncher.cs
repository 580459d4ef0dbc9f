namespace Serval.Node.Processes;

/// <summary>
/// The seam over OS process creation. <see cref="OsProcessLauncher"/> is the only code in the
/// platform that starts processes; tests of the supervisor use a scripted fake.
/// </summary>
public interface IProcessLauncher
{
    /// <summary>Starts a process; its output lines arrive through the request's callbacks.</summary>
    IRunningProcess Start(ProcessStartRequest request);
}

/// <summary>What to start.</summary>
/// <param name="FileName">The executable.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">Variables added to (or replacing) the platform's own.</param>
/// <param name="WorkingDirectory">The working folder.</param>
/// <param name="OnStdoutLine">Called for every line on stdout (on a pool thread).</param>
/// <param name="OnStderrLine">Called for every line on stderr (on a pool thread).</param>
public sealed record ProcessStartRequest(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    Action<string> OnStdoutLine,
    Action<string> OnStderrLine);

/// <summary>A started process.</summary>
public interface IRunningProcess : IDisposable
{
    /// <summary>The OS process id.</summary>
    int Pid { get; }

    /// <summary>Completes with the exit code (128 + signal number when killed by a signal).</summary>
    Task<int> Exited { get; }

    /// <summary>Asks the process to stop (SIGTERM).</summary>
    void Terminate();

    /// <summary>Stops the process at once (SIGKILL).</summary>
    void Kill();

    /// <summary>Resident memory in MiB (0 once it has exited).</summary>
    double ResidentMemoryMb();
}
