using Serval.Core.Specs;

namespace Serval.Core.Tests.Autoscaling;

/// <summary>The policy over time: a real <see cref="Serval.Core.Autoscaling.ConcurrencyWindow"/> fed second by second, a fake clock.</summary>
public class AutoscalerScenarioTests
{
    // Concurrency 10 at the default utilisation 0.7: 7 in flight per instance.
    private static readonly InstancesSpec Instances = new() { Min = 0, Max = 100, Concurrency = 10, Idle = TimeSpan.FromSeconds(60) };

    [Fact]
    public void Decide_SteadyLoad_KeepsLoadOverTarget()
    {
        var scenario = new Scenario(Instances) { Ready = 5 };

        var decisions = scenario.Run(60, inFlight: 35);

        Assert.All(decisions, d => Assert.Equal(5, d.DesiredInstances));
        Assert.All(decisions, d => Assert.False(d.Panicking));
    }

    [Fact]
    public void Decide_BurstThenCalm_PanicEndsPanicHoldAfterTheLastSignal()
    {
        var scenario = new Scenario(Instances) { Ready = 1 };
        scenario.Run(25, inFlight: 7);

        // At 26 s the last 2 s held 7 then 70: 38.5 / 7 → 6 ≥ 2 × 1, a panic until 32 s (hold 6 s).
        // From 27 s on 70 / 7 = 10 is under 2 × 6, so 26 s was the last signal.
        var burst = scenario.Run(3, inFlight: 70);
        var calm = scenario.Run(30, inFlight: 7);

        Assert.True(burst[0].Panicking);
        Assert.Equal(6, burst[0].DesiredInstances);
        Assert.Equal(Scenario.T0.AddSeconds(32), burst[0].PanicUntil);
        var panicking = burst.Concat(calm).TakeWhile(d => d.Panicking).ToList();
        Assert.Equal(6, panicking.Count); // decisions at 26 … 31 s
        Assert.All(panicking.Zip(panicking.Skip(1)), pair => Assert.True(pair.Second.DesiredInstances >= pair.First.DesiredInstances));
        Assert.Equal(10, panicking[^1].DesiredInstances);
    }

    [Fact]
    public void Decide_PanicOver_ScalesDownAfterTheDelay()
    {
        var scenario = new Scenario(Instances) { Ready = 1 };
        scenario.Run(25, inFlight: 7);
        scenario.Run(3, inFlight: 70);

        var calm = scenario.Run(30, inFlight: 7); // decisions at 29 … 58 s

        // The panic ends at 32 s wanting 3 (the stable window holds the whole burst); the delay keeps
        // 10 until 37 s, then the most wanted meanwhile, 3. The burst leaves the window at 46–48 s:
        // 2 is enough from 46 s, held until 51 s; 1 from 48 s, reached at 57 s.
        Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 3], calm.Take(9).Select(d => d.DesiredInstances));
        Assert.False(calm[3].Panicking);
        Assert.Equal(3, calm[21].DesiredInstances); // 50 s
        Assert.Equal(2, calm[22].DesiredInstances); // 51 s
        Assert.Equal(1, calm[28].DesiredInstances); // 57 s
    }

    [Fact]
    public void Decide_LoadDrops_ScalesDownOnlyAfterTheDelay()
    {
        var scenario = new Scenario(Instances) { Ready = 5 };
        scenario.Run(30, inFlight: 35);

        var decisions = scenario.Run(70, inFlight: 7); // decisions at 31 … 100 s

        // The stable mean first wants 4 at 35 s (15 s of 35 and 5 s of 7 = 28 → 4): held 5 s.
        Assert.All(decisions.Take(9), d => Assert.Equal(5, d.DesiredInstances));
        Assert.Equal(4, decisions[9].DesiredInstances);
        Assert.Equal(1, decisions[^1].DesiredInstances);
        Assert.All(decisions, d => Assert.False(d.Panicking));
    }

    [Fact]
    public void Decide_TrafficStops_ScalesToZeroAfterIdleAndNotBefore()
    {
        var scenario = new Scenario(Instances with { Idle = TimeSpan.FromSeconds(30) }) { Ready = 1 };
        scenario.Run(10, inFlight: 7); // the last request at 9 s

        var decisions = scenario.Run(40, inFlight: 0); // decisions at 11 … 50 s

        var before = decisions.Take(28).ToList(); // 11 … 38 s: less than 30 s since 9 s
        var after = decisions.Skip(28).ToList();  // 39 … 50 s
        Assert.All(before, d => Assert.Equal(1, d.DesiredInstances));
        Assert.All(after, d => Assert.Equal(0, d.DesiredInstances));
        Assert.StartsWith("idle: no request for 30s (idle after 30s)", after[0].Reason);
    }

    [Fact]
    public void Decide_ProvisionedMinIdle_StaysAtMin()
    {
        var scenario = new Scenario(Instances with { Min = 2, Idle = TimeSpan.FromSeconds(5) }) { Ready = 2 };
        scenario.Run(10, inFlight: 30);

        var decisions = scenario.Run(60, inFlight: 0);

        Assert.Equal(2, decisions[^1].DesiredInstances);
        Assert.All(decisions, d => Assert.True(d.DesiredInstances >= 2));
    }

    [Fact]
    public void Decide_ColdBurstOnAFullNode_GrowsAsTheRateAndRoomAllow()
    {
        var scenario = new Scenario(Instances) { Ready = 0, Capacity = 4 };

        var decisions = scenario.Run(3, inFlight: 140);

        // 0 ready → +1; 1 ready → 10 by rate, but room for 4 more → 5; then 5 + 4 = 9.
        Assert.Equal([1, 5, 9], decisions.Select(d => d.DesiredInstances));
    }
}
