using System.Runtime.InteropServices;

namespace Serval.Instance.Hosting;

/// <summary>
/// Why and when the process should stop: SIGTERM, SIGINT, or (with <c>--exit-on-stdin-eof</c>) the end
/// of stdin, which is how an instance dies with the node agent that started it. Listened for from the
/// first line of the process, so a pooled instance waiting for its assignment stops the same way.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource<string> _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;

    public ShutdownSignal(bool exitOnStdinEof)
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Request(c, "SIGTERM"));
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Request(c, "SIGINT"));
        if (exitOnStdinEof)
        {
            WatchStdin();
        }
    }

    /// <summary>Completes with the reason once a stop is asked for.</summary>
    public Task<string> Requested => _requested.Task;

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
    }

    private void Request(PosixSignalContext context, string reason)
    {
        context.Cancel = true;
        _requested.TrySetResult(reason);
    }

    private void WatchStdin()
    {
        var thread = new Thread(() =>
        {
            try
            {
                using Stream stdin = Console.OpenStandardInput();
                byte[] buffer = new byte[256];
                while (stdin.Read(buffer) > 0)
                {
                }
            }
            catch (IOException)
            {
                // A broken stdin counts as closed.
            }

            _requested.TrySetResult("stdin closed");
        })
        {
            IsBackground = true,
            Name = "stdin watch",
        };
        thread.Start();
    }
}
