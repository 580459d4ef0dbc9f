using System.Text;
using System.Text.Json;
using Serval.Core.Wire;
using Serval.Instance.Hosting;

// serval-instance --config FILE [--check] [--exit-on-stdin-eof]
// Exit codes: 0 stopped cleanly (or --check passed), 1 the function cannot be loaded, 2 bad arguments.
// stdout carries exactly one line, SERVAL-READY {json} or SERVAL-FAILED message; anything else,
// a handler's Console.WriteLine included, goes to stderr.
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
Console.SetOut(Console.Error);

string? configPath = null;
bool check = false, exitOnStdinEof = false;
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
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            configPath = null;
            i = args.Length;
            break;
    }
}

if (configPath is null)
{
    Console.Error.WriteLine("usage: serval-instance --config FILE [--check] [--exit-on-stdin-eof]");
    return 2;
}

InstanceConfig config;
try
{
    config = InstanceConfig.FromJson(File.ReadAllText(configPath));
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
{
    stdout.WriteLine($"{ReadyReport.FailedPrefix}cannot read the instance config '{configPath}': {e.Message}".ReplaceLineEndings(" "));
    return 1;
}

var host = new InstanceHost(config, stdout, TimeProvider.System);
return check ? host.Check() : await host.RunAsync(exitOnStdinEof);
