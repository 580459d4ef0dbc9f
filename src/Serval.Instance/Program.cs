using System.Text;
using System.Text.Json;
using Serval.Core.Wire;
using Serval.Instance.Hosting;
using Serval.Instance.Pooling;

// serval-instance --config FILE [--check] [--exit-on-stdin-eof]
// serval-instance --pool --socket PATH [--exit-on-stdin-eof]   (a pooled process: see PoolStandby)
// Exit codes: 0 stopped cleanly (or --check passed), 1 the function cannot be loaded, 2 bad arguments.
// stdout carries exactly one line, SERVAL-READY {json} or SERVAL-FAILED message (a pooled process
// prints SERVAL-POOLED before it); anything else, a handler's Console.WriteLine included, goes to stderr.
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
Console.SetOut(Console.Error);

string? configPath = null, socketPath = null;
bool check = false, exitOnStdinEof = false, pool = false, valid = true;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--config" when i + 1 < args.Length:
            configPath = args[++i];
            break;
        case "--check":
            check = true;
            break;
        case "--exit-on-stdin-eof":
            exitOnStdinEof = true;
            break;
        case "--pool":
            pool = true;
            break;
        case "--socket" when i + 1 < args.Length:
            socketPath = args[++i];
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            valid = false;
            i = args.Length;
            break;
    }
}

// A pooled process gets its config later, over its socket; a started one has it now and binds the socket it names.
bool complete = pool ? socketPath is not null && configPath is null && !check : configPath is not null && socketPath is null;
if (!valid || !complete)
{
    Console.Error.WriteLine("usage: serval-instance --config FILE [--check] [--exit-on-stdin-eof]");
    Console.Error.WriteLine("       serval-instance --pool --socket PATH [--exit-on-stdin-eof]");
    return 2;
}

if (pool)
{
    using var poolShutdown = new ShutdownSignal(exitOnStdinEof);
    return await new PoolStandby(socketPath!, stdout, TimeProvider.System).RunAsync(poolShutdown);
}

InstanceConfig config;
try
{
    config = InstanceConfig.FromJson(File.ReadAllText(configPath!));
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
{
    stdout.WriteLine($"{ReadyReport.FailedPrefix}cannot read the instance config '{configPath}': {e.Message}".ReplaceLineEndings(" "));
    return 1;
}

var host = new InstanceHost(config, stdout, TimeProvider.System);
if (check)
{
    return host.Check();
}

using var shutdown = new ShutdownSignal(exitOnStdinEof);
return await host.RunAsync(shutdown);
