using System.Collections.Concurrent;
using Serval.Core.Wire;

namespace Serval.Node.Instances;

/// <summary>
/// Reads a starting instance's output: its <c>SERVAL-READY</c> or <c>SERVAL-FAILED</c> line becomes
/// <see cref="Ready"/>'s result or failure, an exit before either fails it with the last stderr lines,
/// and every other line goes to <c>log</c>.
/// </summary>
internal sealed class ReadyWatch(string id, Action<string, string> log)
{
    private readonly TaskCompletionSource<ReadyReport> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _stderrTail = new();

    /// <summary>The instance's report once it is ready; an <see cref="InstanceStartException"/> when it cannot be.</summary>
    public Task<ReadyReport> Ready => _ready.Task;

    /// <summary>Takes one stdout line.</summary>
    public void OnStdout(string line)
    {
        if (line.StartsWith(ReadyReport.ReadyPrefix, StringComparison.Ordinal))
        {
            try
            {
                _ready.TrySetResult(ReadyReport.Parse(line[ReadyReport.ReadyPrefix.Length..]));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
            {
                _ready.TrySetException(new InstanceStartException($"the instance sent a malformed ready line: {e.Message}"));
            }
        }
        else if (line.StartsWith(ReadyReport.FailedPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetException(new InstanceStartException(line[ReadyReport.FailedPrefix.Length..]));
        }
        else
        {
            log(id, line);
        }
    }

    /// <summary>Takes one stderr line (the last few explain an early exit).</summary>
    public void OnStderr(string line)
    {
        _stderrTail.Enqueue(line);
        while (_stderrTail.Count > 20 && _stderrTail.TryDequeue(out _))
        {
        }

        log(id, line);
    }

    /// <summary>The process exited; fails <see cref="Ready"/> unless it had already completed.</summary>
    public void OnExited(int code)
    {
        string tail = string.Join(" | ", _stderrTail.TakeLast(3));
        _ready.TrySetException(new InstanceStartException(
            $"the instance exited with code {code} while starting{(tail.Length > 0 ? ": " + tail : "")}"));
    }
}
