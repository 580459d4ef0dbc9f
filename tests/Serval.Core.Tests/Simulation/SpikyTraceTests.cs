using System.Globalization;
using System.Text.RegularExpressions;
using Serval.Core.Simulation;
using Serval.Core.Specs;
using Xunit.Abstractions;

namespace Serval.Core.Tests.Simulation;

/// <summary>
/// The simulator against the real thing: bench/traces/spiky.csv is the load bench/run.sh spiky sends,
/// replayed with the bench's function (max 4, concurrency 4, idle 2s; rec at 28 ms a call, a warm-pool
/// start of 0.15 s), compared with the figures bench/RESULTS.md recorded for the real run.
/// </summary>
public sealed partial class SpikyTraceTests(ITestOutputHelper output)
{
    private static readonly SimulationOptions Bench = new()
    {
        Instances = new InstancesSpec { Max = 4, Concurrency = 4, Idle = TimeSpan.FromSeconds(2) },
        Service = TimeSpan.FromMilliseconds(28),
        ColdStart = TimeSpan.FromMilliseconds(150),
    };

    [Fact]
    public void Simulate_SpikyTrace_ReproducesTheRecordedOrderingAndUtilisation()
    {
        string root = Serval.TestSupport.Paths.Root;
        var (trace, errors) = LoadTrace.Read("spiky.csv", File.ReadAllText(Path.Combine(root, "bench", "traces", "spiky.csv")));
        Assert.Empty(errors);
        Dictionary<string, (double InstanceSeconds, double Utilisation)> real = Recorded(File.ReadAllText(Path.Combine(root, "bench", "RESULTS.md")));

        var results = StrategySimulator.Compare(trace!, Bench);
        foreach (SimulationResult r in results)
        {
            output.WriteLine($"{r.Strategy,-30} cold {r.ColdStarts,3}  inst-s {r.InstanceSeconds,6:0.0}  util {r.Utilisation,4:P0}  p99 {r.P99 * 1000,5:0} ms  cost {r.Cost:0.000000}");
        }

        SimulationResult onDemand = results[0], peak = results[1], floor = results[3];
        // Utilisation within 10 points of the real run, for each of the three modes the bench ran.
        Assert.InRange(onDemand.Utilisation * 100, real["on-demand"].Utilisation - 10, real["on-demand"].Utilisation + 10);
        Assert.InRange(peak.Utilisation * 100, real["peak"].Utilisation - 10, real["peak"].Utilisation + 10);
        Assert.InRange(floor.Utilisation * 100, real["floor"].Utilisation - 10, real["floor"].Utilisation + 10);
        // The ratio of instance time, provisioned for the peak against on-demand, within 15 %.
        double realRatio = real["peak"].InstanceSeconds / real["on-demand"].InstanceSeconds;
        Assert.InRange(peak.InstanceSeconds / onDemand.InstanceSeconds, realRatio * 0.85, realRatio * 1.15);
        // The ordering: the peak costs the most instance time at the lowest utilisation, starts nothing,
        // and has the lowest tail; the floor starts no more than on-demand alone and its tail is no worse.
        Assert.True(peak.Utilisation < floor.Utilisation && peak.Utilisation < onDemand.Utilisation);
        Assert.Equal(0, peak.ColdStarts);
        Assert.True(floor.ColdStarts <= onDemand.ColdStarts && onDemand.ColdStarts > 0);
        Assert.True(peak.P99 < floor.P99 && floor.P99 <= onDemand.P99);
    }

    // The spiky table's rows: instance-seconds and utilisation (the last two columns).
    private static Dictionary<string, (double, double)> Recorded(string results)
    {
        var rows = new Dictionary<string, (double, double)>();
        foreach (Match m in SpikyRow().Matches(results))
        {
            string mode = m.Groups["mode"].Value.Contains("on-demand only", StringComparison.Ordinal) ? "on-demand"
                : m.Groups["mode"].Value.Contains("peak", StringComparison.Ordinal) ? "peak" : "floor";
            rows[mode] = (double.Parse(m.Groups["is"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["u"].Value, CultureInfo.InvariantCulture));
        }

        Assert.Equal(3, rows.Count);
        return rows;
    }

    [GeneratedRegex(@"^\| \**(?<mode>on-demand only \(`min: 0`\)|provisioned for the peak \(`min: 4`\)|floor 1 \+ on-demand \(`min: 1`\))\** \|.*\| (?<is>[0-9.]+) \| \**(?<u>[0-9]+) %", RegexOptions.Multiline)]
    private static partial Regex SpikyRow();
}
