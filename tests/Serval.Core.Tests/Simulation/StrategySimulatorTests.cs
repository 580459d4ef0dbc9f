using Serval.Core.Billing;
using Serval.Core.Simulation;
using Serval.Core.Specs;

namespace Serval.Core.Tests.Simulation;

public sealed class StrategySimulatorTests
{
    private static readonly SimulationOptions Options = new()
    {
        Instances = new InstancesSpec { Max = 4, Concurrency = 4, Idle = TimeSpan.FromSeconds(2) },
        Service = TimeSpan.FromMilliseconds(100),
        ColdStart = TimeSpan.FromMilliseconds(500),
        Resources = new Reserved(1, 1024, 0),
    };

    private static LoadTrace Trace(string csv) => LoadTrace.Read("t.csv", csv).Trace!;

    private static SimulationResult Run(string csv, string strategy, SimulationOptions? options = null) =>
        StrategySimulator.Compare(Trace(csv), options ?? Options).Single(r => r.Strategy.StartsWith(strategy, StringComparison.Ordinal));

    [Fact]
    public void Run_NoLoad_OnDemandCostsNothing_AndAFloorPaysItsIdleTime()
    {
        const string idle = "second,rps\n0,0\n59,0";

        SimulationResult onDemand = Run(idle, "on-demand");
        SimulationResult floor = Run(idle, "floor");

        Assert.Equal((0L, 0.0, 0m), (onDemand.Requests, onDemand.InstanceSeconds, onDemand.Cost));
        Assert.Equal(60, floor.IdleProvisionedSeconds, precision: 6);
        Assert.Equal(CostModel.Idle(Options.Prices, Options.Resources, 60), decimal.Round(floor.Cost, 12));
        Assert.Equal(0, floor.ColdStarts);
    }

    [Fact]
    public void Run_SteadyLoad_BillsEveryRequestItsServiceTime()
    {
        SimulationResult result = Run("second,rps\n0,2\n9,2", "on-demand");

        Assert.InRange(result.Requests, 18, 20); // 2 a second for 10 s, evenly spaced from 0.5 s
        decimal expected = CostModel.Compute(Options.Prices, Options.Resources, 100 * result.Requests) + Options.Prices.Request * result.Requests;
        Assert.Equal(expected, result.Cost);
        // 0.2 in flight on average fits one instance: the first request waits for it, no other does.
        Assert.Equal(1, result.ColdStarts);
        Assert.Equal(1, result.ColdRequests);
        Assert.Equal(0.6, result.P99, precision: 6); // the cold one: a 0.5 s start + 0.1 s
        Assert.Equal(0.1, result.P50, precision: 6);
    }

    [Fact]
    public void Run_ClientsBeyondOneInstance_ScaleOutToMax_AndPeakProvisioningStartsNone()
    {
        const string burst = "second,clients\n0,1\n10,16\n30,1\n39,1";

        SimulationResult onDemand = Run(burst, "on-demand");
        SimulationResult peak = Run(burst, "provisioned for the peak");

        Assert.True(onDemand.ColdStarts >= 4, $"{onDemand.ColdStarts} cold starts");
        Assert.Equal(0, peak.ColdStarts);
        Assert.Equal(4 * 40, peak.InstanceSeconds, precision: 6);
        // Held as servers: 160 instance-seconds at the running rates.
        Assert.Equal(CostModel.Compute(Options.Prices, Options.Resources, 160_000), peak.ServerCost);
        Assert.True(onDemand.InstanceSeconds < peak.InstanceSeconds);
        Assert.True(onDemand.Utilisation > peak.Utilisation);
        Assert.True(peak.P99 < onDemand.P99, $"peak p99 {peak.P99} vs on-demand {onDemand.P99}");
        Assert.InRange(onDemand.Utilisation, 0, 1);
    }

    [Fact]
    public void Strategies_ScheduledMinimums_FollowEachSlotsPeak_OneColdStartAhead()
    {
        var trace = Trace("second,clients\n0,1\n60,12\n119,12");

        var scheduled = SimulationStrategy.All(trace, Options).Single(s => s.Name == "scheduled minimums");

        // 1 client → ceil(1 / 2.8) = 1; 12 → ceil(12 / 2.8) = 5, at most max 4; raised at 60 s - 0.5 s.
        Assert.Equal([(0.0, 1), (59.5, 4)], scheduled.Minimums);
        Assert.Equal(1, scheduled.MinimumAt(59));
        Assert.Equal(4, scheduled.MinimumAt(59.5));
    }
}
