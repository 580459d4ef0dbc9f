using System.CommandLine;
using System.Globalization;
using Serval.Core.Billing;
using Serval.Core.Simulation;
using Serval.Core.Specs;
using Serval.Cli.Output;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>
/// <c>simulate TRACE.csv</c>: replays a request-rate trace through the platform's autoscaler (on a
/// simulated clock, no platform needed) for four strategies and prints them side by side.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(CliHost host)
    {
        var trace = new Argument<string>("trace") { Description = "a CSV with the header second,rps or second,clients and one row per change" };
        var max = new Option<int>("--max") { Description = "instances.max", DefaultValueFactory = _ => 4, HelpName = "N" };
        var concurrency = new Option<int>("--concurrency") { Description = "instances.concurrency", DefaultValueFactory = _ => 4, HelpName = "N" };
        var idle = new Option<string>("--idle") { Description = "instances.idle", DefaultValueFactory = _ => "60s", HelpName = "DURATION" };
        var service = new Option<string>("--service") { Description = "the time one invocation takes", DefaultValueFactory = _ => "100ms", HelpName = "DURATION" };
        var coldStart = new Option<string>("--cold-start") { Description = "the time an instance takes to start", DefaultValueFactory = _ => "500ms", HelpName = "DURATION" };
        var cpu = new Option<double>("--cpu") { Description = "resources.cpu (for the cost)", DefaultValueFactory = _ => 0.5, HelpName = "CORES" };
        var memory = new Option<string>("--memory") { Description = "resources.memory (for the cost)", DefaultValueFactory = _ => "2Gi", HelpName = "SIZE" };
        var gpu = new Option<double>("--gpu") { Description = "resources.gpu (for the cost)", DefaultValueFactory = _ => 0, HelpName = "GPUS" };
        var floor = new Option<int>("--floor") { Description = "the provisioned floor of 'floor + on-demand'", DefaultValueFactory = _ => 1, HelpName = "N" };
        var slot = new Option<string>("--slot") { Description = "how long each scheduled minimum holds", DefaultValueFactory = _ => "60s", HelpName = "DURATION" };
        var prices = new Option<string?>("--prices") { Description = "a price sheet (YAML, as the platform's --prices); default prices otherwise", HelpName = "FILE" };
        var command = new Command("simulate", "replay a load trace through the autoscaler: cost, utilisation, cold starts and modelled p99 of four strategies")
        {
            trace, max, concurrency, idle, service, coldStart, cpu, memory, gpu, floor, slot, prices,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(trace)!;
            var (load, errors) = LoadTrace.Read(path, File.ReadAllText(path));
            if (load is null)
            {
                throw new CliException(string.Join("\n", errors));
            }

            PriceSheet sheet = new();
            if (parse.GetValue(prices) is { } sheetPath)
            {
                var (read, sheetErrors) = PriceSheetReader.Read(sheetPath, File.ReadAllText(sheetPath));
                sheet = read ?? throw new CliException(string.Join("\n", sheetErrors));
            }

            int n = parse.GetValue(max), c = parse.GetValue(concurrency), f = parse.GetValue(floor);
            if (n < 1 || c < 1 || f < 0 || parse.GetValue(cpu) < 0 || parse.GetValue(gpu) < 0)
            {
                throw new CliException("--max and --concurrency must be at least 1; --floor, --cpu and --gpu at least 0");
            }

            string memoryText = parse.GetValue(memory)!;
            long memoryMb = SpecUnits.TryParseMemoryMb(memoryText, out long mb) ? mb : throw new CliException($"--memory: '{memoryText}' is not a size ({SpecUnits.MemoryExamples})");
            var options = new SimulationOptions
            {
                Instances = new InstancesSpec { Max = n, Concurrency = c, Idle = Duration(parse.GetValue(idle)!, "--idle") },
                Service = Duration(parse.GetValue(service)!, "--service"),
                ColdStart = Duration(parse.GetValue(coldStart)!, "--cold-start"),
                Resources = new Reserved(parse.GetValue(cpu), memoryMb, parse.GetValue(gpu)),
                Prices = sheet,
                Floor = f,
                ScheduleSlot = Duration(parse.GetValue(slot)!, "--slot"),
            };
            if (options.Service <= TimeSpan.Zero || options.ScheduleSlot <= TimeSpan.Zero)
            {
                throw new CliException("--service and --slot must be more than 0");
            }

            IReadOnlyList<SimulationResult> results = StrategySimulator.Compare(load, options);
            host.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(path)}: {load.End:0.#} s of {(load.Kind == TraceKind.Rps ? "requests per second" : "closed-loop clients")}, max {n}, concurrency {c}, idle {SpecUnits.FormatDuration(options.Instances.Idle)}, service {SpecUnits.FormatDuration(options.Service)}, cold start {SpecUnits.FormatDuration(options.ColdStart)}"));
            var table = Tables.Create("strategy", $"cost {sheet.Currency}", "as servers", "utilisation", "cold starts", "p99 (model)", "p50 (model)", "instance-s", "requests");
            foreach (SimulationResult r in results)
            {
                table.AddTextRow(r.Strategy, r.Cost.ToString("0.000000", CultureInfo.InvariantCulture), r.ServerCost.ToString("0.000000", CultureInfo.InvariantCulture), r.Utilisation.ToString("P0", CultureInfo.InvariantCulture),
                    r.ColdStarts.ToString(CultureInfo.InvariantCulture), Ms(r.P99), Ms(r.P50),
                    r.InstanceSeconds.ToString("0.0", CultureInfo.InvariantCulture), r.Requests.ToString(CultureInfo.InvariantCulture));
            }

            host.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static string Ms(double seconds) => (seconds * 1000).ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static TimeSpan Duration(string text, string flag) =>
        SpecUnits.TryParseDuration(text, out TimeSpan value) ? value : throw new CliException($"{flag}: '{text}' is not a duration ({SpecUnits.DurationExamples})");
}
