using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Serval.Node.Processes;

/// <summary>Starts real OS processes. The only place in the platform that does.</summary>
public sealed class OsProcessLauncher(TimeProvider time) : IProcessLauncher
{
    /// <inheritdoc/>
    public IRunningProcess Start(ProcessStartRequest request)
    {
        var info = new ProcessStartInfo(request.FileName)
        {
            WorkingDirectory = request.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in request.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in request.Environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                request.OnStdoutLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                request.OnStderrLine(e.Data);
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {request.FileName}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new OsProcess(process, time);
    }

    private sealed class OsProcess : IRunningProcess
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly TimeProvider _time;

        public OsProcess(Process process, TimeProvider time)
        {
            _process = process;
            _time = time;
            Pid = process.Id;
            _ = WaitAsync();
        }

        public int Pid { get; }

        public Task<int> Exited => _exited.Task;

        public void Terminate()
        {
            if (!_exited.Task.IsCompleted)
            {
                _ = Kill(Pid, 15);
            }
        }

        public void Kill()
        {
            if (!_exited.Task.IsCompleted)
            {
                _ = Kill(Pid, 9);
            }
        }

        private long _memorySampledAt;
        private double _memoryMb;

        public double ResidentMemoryMb()
        {
            // Sampled at most once a second: every answer reports it, and reading /proc costs tens of µs.
            long now = _time.GetTimestamp();
            if (_memorySampledAt != 0 && _time.GetElapsedTime(Volatile.Read(ref _memorySampledAt), now) < TimeSpan.FromSeconds(1))
            {
                return _memoryMb;
            }

            _memoryMb = ReadResidentMemoryMb();
            Volatile.Write(ref _memorySampledAt, now);
            return _memoryMb;
        }

        private double ReadResidentMemoryMb()
        {
            // VmRSS from /proc is cheaper than Process.Refresh and never throws for a live pid.
            try
            {
                foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) / 1024.0;
                    }
                }
            }
            catch (IOException)
            {
            }

            return 0;
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }

        private async Task WaitAsync()
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            _exited.TrySetResult(_process.ExitCode);
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int pid, int signal);
    }
}
