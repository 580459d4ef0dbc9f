using Serval.Core.Autoscaling;
using Serval.Core.Specs;

namespace Serval.Core.Tests.Autoscaling;

/// <summary>One decision at a time, from observations written out in the table.</summary>
public class AutoscalerTests
{
    private static readonly DateTimeOffset Now = Scenario.T0;
    private static readonly Autoscaler Policy = new(new AutoscalerOptions());

    // Concurrency 10 at the default utilisation 0.7: 7 in flight per instance. A request arrived
    // just now unless `lastRequestAgo` says otherwise (NaN: none ever did).
    private static AutoscalerInput Input(
        double stable, double panic, int ready, int starting = 0, int min = 0, int max = 100,
        double lastRequestAgo = 0, int capacity = 100, ScaleDecision? previous = null, int concurrency = 10) => new()
        {
            Now = Now,
            Observed = new ConcurrencyObservation(stable, panic),
            Ready = ready,
            Starting = starting,
            Instances = new InstancesSpec { Min = min, Max = max, Concurrency = concurrency, Idle = TimeSpan.FromSeconds(60) },
            LastRequestAt = double.IsNaN(lastRequestAgo) ? null : Now - TimeSpan.FromSeconds(lastRequestAgo),
            NodeCapacity = capacity,
            Previous = previous,
        };

    private static ScaleDecision Previous(int desired, double? panicFor = null, ScaleDownHold? hold = null) => new()
    {
        DesiredInstances = desired,
        PanicUntil = panicFor is { } seconds ? Now + TimeSpan.FromSeconds(seconds) : null,
        Hold = hold,
        Reason = "earlier",
    };

    [Theory]
    [InlineData(35, 5, 5)]   // 35 / 7 = 5
    [InlineData(36, 5, 6)]   // 5.14 → 6
    [InlineData(70, 10, 10)]
    [InlineData(14, 2, 2)]
    [InlineData(20, 2, 3)]   // 2.86 → 3
    [InlineData(7, 1, 1)]
    [InlineData(0.5, 1, 1)]  // any load needs one
    public void Decide_SteadyLoad_AsksForLoadOverTarget(double load, int ready, int expected)
    {
        var decision = Policy.Decide(Input(load, load, ready));

        Assert.Equal(expected, decision.DesiredInstances);
        Assert.False(decision.Panicking);
    }

    [Theory]
    [InlineData(0, 4)]   // stable 20 at 7 each → 3, but the scale-down delay keeps 4; none idle
    [InlineData(1, 3)]   // 4 there, 1 idle → at most 3; the window's 3 already fits
    [InlineData(2, 2)]   // 4 there, 2 idle → at most 2, though the window still wants 3
    [InlineData(3, 1)]
    public void Decide_IdleInstances_CapTheStableDesire(int idle, int expected)
    {
        var decision = Policy.Decide(Input(20, 20, ready: 4, previous: Previous(4)) with { IdleInstances = idle });

        Assert.Equal(expected, decision.DesiredInstances);
        if (idle >= 2)
        {
            Assert.Contains($"{idle} instances idle for 60s → {expected}", decision.Reason);
        }
    }

    [Theory]
    [InlineData(35, 14, 3, 3)]  // stable wants 5, the last 2 s want 2: a spike that ended → stay at 3
    [InlineData(35, 28, 3, 4)]  // the last 2 s want 4 → up to 4 (below the panic threshold of 6)
    [InlineData(35, 35, 3, 5)]  // both want 5 → 5
    public void Decide_StableAboveRecent_ScalesUpOnlyAsFarAsTheRecentLoad(double stable, double panic, int ready, int expected)
    {
        var decision = Policy.Decide(Input(stable, panic, ready));

        Assert.Equal(expected, decision.DesiredInstances);
        Assert.False(decision.Panicking);
    }

    [Fact]
    public void Decide_IdleInstancesWhilePanicking_NoScaleDown()
    {
        var decision = Policy.Decide(Input(20, 20, ready: 4, previous: Previous(4, panicFor: 10)) with { IdleInstances = 2 });

        Assert.True(decision.Panicking);
        Assert.Equal(4, decision.DesiredInstances);
    }

    [Fact]
    public void Decide_LoadExactlyOnTarget_DoesNotRoundUp()
    {
        // Concurrency 3 × 0.7 = 2.1 per instance (2.0999999999999996 in binary); 4.2 is exactly 2.
        var decision = Policy.Decide(Input(4.2, 4.2, ready: 2, concurrency: 3));

        Assert.Equal(2, decision.DesiredInstances);
    }

    [Fact]
    public void Decide_SteadyLoad_ExplainsTheArithmetic()
    {
        var policy = new Autoscaler(new AutoscalerOptions { TargetUtilization = 1 });

        var decision = policy.Decide(Input(35, 35, ready: 3));

        Assert.Equal("stable: 35 in flight over 3 instances at target 10 → ceil(3.5) = 4", decision.Reason);
    }

    [Theory]
    [InlineData(7, 70, 1, 10)]   // the last 2 s want 10 ≥ 2 × 1
    [InlineData(14, 56, 2, 8)]   // 8 ≥ 2 × 2
    [InlineData(10, 28, 2, 4)]   // 4 = 2 × 2: the threshold itself panics
    [InlineData(35, 140, 5, 20)] // stable alone would say 5
    public void Decide_BurstAboveThreshold_ScalesUpAtOnce(double stable, double panic, int ready, int expected)
    {
        var decision = Policy.Decide(Input(stable, panic, ready));

        Assert.True(decision.Panicking);
        Assert.Equal(expected, decision.DesiredInstances);
        Assert.Equal(Now + TimeSpan.FromSeconds(6), decision.PanicUntil); // PanicHold
        Assert.StartsWith("panic: ", decision.Reason);
    }

    [Theory]
    [InlineData(27, 2, 0, true)]   // 3.86 → 4 ≥ 2 × 2
    [InlineData(20, 2, 0, false)]  // 2.86 → 3 < 2 × 2
    [InlineData(27, 1, 1, true)]   // 4 ≥ 2 × (1 ready + 1 starting)
    [InlineData(27, 1, 2, false)]  // 4 < 2 × (1 ready + 2 starting): the burst is being answered
    [InlineData(14, 0, 0, true)]   // none at all: 2 ≥ 2 × 1
    public void Decide_PanicThreshold_CountsReadyAndStarting(double panic, int ready, int starting, bool panicking)
    {
        var decision = Policy.Decide(Input(7, panic, ready, starting));

        Assert.Equal(panicking, decision.Panicking);
    }

    [Theory]
    [InlineData(0, 10, false)]    // no load for 2 s, but a request just now: still the panic
    [InlineData(7, 10, false)]    // the last 2 s want 1
    [InlineData(70, 10, false)]   // want 10, under 2 × 10: no new signal
    [InlineData(140, 20, true)]   // want 20 = 2 × 10: a new signal renews the panic
    public void Decide_WhilePanicking_NeverScalesDown(double load, int expected, bool renewed)
    {
        var decision = Policy.Decide(Input(load, load, ready: 10, previous: Previous(10, panicFor: 8)));

        Assert.True(decision.Panicking);
        Assert.Equal(expected, decision.DesiredInstances);
        Assert.Equal(Now + TimeSpan.FromSeconds(renewed ? 6 : 8), decision.PanicUntil);
    }

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(0, false)]   // the panic ends at PanicUntil
    [InlineData(-3, false)]
    public void Decide_PanicUntilPassed_PanicEnds(double panicFor, bool panicking)
    {
        var decision = Policy.Decide(Input(7, 7, ready: 10, previous: Previous(10, panicFor)));

        Assert.Equal(panicking, decision.Panicking);
        Assert.Equal(10, decision.DesiredInstances); // calm again, the scale-down delay holds 10
    }

    [Theory]
    [InlineData(59.9, 1)]
    [InlineData(60, 0)]
    [InlineData(3600, 0)]
    [InlineData(double.NaN, 0)] // no request ever
    public void Decide_NoRequestForIdle_ScalesToZero(double lastRequestAgo, int expected)
    {
        var decision = Policy.Decide(Input(0, 0, ready: 1, lastRequestAgo: lastRequestAgo));

        Assert.Equal(expected, decision.DesiredInstances);
    }

    [Theory]
    [InlineData(0.2, 1, 1)] // a request arrived 2 minutes ago and is still running
    [InlineData(21, 3, 3)]  // panicking at 3 with none ready would still be 3 long requests
    public void Decide_InFlightLongerThanIdle_KeepsInstances(double load, int ready, int expected)
    {
        var decision = Policy.Decide(Input(load, load, ready, lastRequestAgo: 120));

        Assert.Equal(expected, decision.DesiredInstances);
    }

    [Theory]
    [InlineData(0, 600, 2, 2, 2)]         // idle for 10 minutes: min 2
    [InlineData(0, double.NaN, 1, 0, 1)]  // never called: min 1 starts one
    [InlineData(0, double.NaN, 5, 0, 5)]  // the scale-up rate does not hold min back
    [InlineData(7, 0, 3, 3, 3)]           // the load wants 1
    [InlineData(35, 0, 3, 3, 5)]          // above min the load decides
    public void Decide_Min_NeverBelow(double load, double lastRequestAgo, int min, int ready, int expected)
    {
        var decision = Policy.Decide(Input(load, load, ready, min: min, lastRequestAgo: lastRequestAgo));

        Assert.Equal(expected, decision.DesiredInstances);
    }

    [Theory]
    [InlineData(70, 5, 8, 8)]      // wants 10
    [InlineData(700, 10, 12, 12)]  // panics for 100
    [InlineData(70, 10, 4, 4)]     // max lowered under what runs
    public void Decide_Max_NeverAbove(double load, int ready, int max, int expected)
    {
        var decision = Policy.Decide(Input(load, load, ready, max: max));

        Assert.Equal(expected, decision.DesiredInstances);
        Assert.EndsWith($"; max {max}", decision.Reason);
    }

    [Theory]
    [InlineData(700, 1, 0, 1, 10)]  // 1 ready × 10
    [InlineData(700, 3, 0, 1, 30)]
    [InlineData(700, 2, 5, 1, 20)]  // starting ones are not a base for the rate
    [InlineData(70, 0, 0, 1, 1)]    // from zero: +1
    [InlineData(70, 0, 0, 4, 4)]    // from zero with a step of 4
    [InlineData(700, 0, 3, 1, 3)]   // the rate never takes away what is starting
    public void Decide_ScaleUp_BoundedByTheRate(double load, int ready, int starting, int step, int expected)
    {
        var policy = new Autoscaler(new AutoscalerOptions { MinScaleUpStep = step });

        var decision = policy.Decide(Input(load, load, ready, starting));

        Assert.Equal(expected, decision.DesiredInstances);
    }

    [Theory]
    [InlineData(1, 0, 2, 0, 3)]    // wants 10, room for 2 more
    [InlineData(1, 0, 0, 0, 1)]    // a full node
    [InlineData(2, 1, 3, 0, 6)]    // 3 there + 3
    [InlineData(0, 0, 2, 5, 2)]    // room wins over min
    [InlineData(4, 0, -1, 0, 4)]   // an overfull node takes nothing away
    public void Decide_ScaleUp_BoundedByNodeCapacity(int ready, int starting, int capacity, int min, int expected)
    {
        var decision = Policy.Decide(Input(70, 70, ready, starting, min: min, capacity: capacity));

        Assert.Equal(expected, decision.DesiredInstances);
        Assert.Contains($"node has room for {Math.Max(capacity, 0)} more", decision.Reason);
    }

    [Theory]
    [InlineData(0.05, 0.5)]  // a request waiting for half a second of the panic window
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    public void Decide_RequestWaitingWithNoInstances_StartsTheFirst(double stable, double panic)
    {
        var decision = Policy.Decide(Input(stable, panic, ready: 0));

        Assert.Equal(1, decision.DesiredInstances);
        Assert.False(decision.Panicking); // one instance is a cold start, not a burst
    }

    [Theory]
    [InlineData(0, 0, 1, 5)]      // fewer wanted from now on: hold 5
    [InlineData(4.9, 3, 1, 5)]    // not yet 5 s
    [InlineData(5, 3, 1, 3)]      // 5 s: down to the most wanted meanwhile
    [InlineData(5, 2, 3, 3)]      // now wanting more than before counts too
    public void Decide_LowerLoad_ScalesDownAfterTheDelay(double heldFor, int highest, int wantNow, int expected)
    {
        var hold = heldFor == 0 ? null : new ScaleDownHold(Now - TimeSpan.FromSeconds(heldFor), highest);

        var decision = Policy.Decide(Input(wantNow * 7, wantNow * 7, ready: 5, previous: Previous(5, hold: hold)));

        Assert.Equal(expected, decision.DesiredInstances);
        Assert.Equal(expected == 5, decision.Hold is not null);
    }

    [Fact]
    public void Decide_LoadBackUp_CancelsTheHold()
    {
        var hold = new ScaleDownHold(Now - TimeSpan.FromSeconds(4), 2);

        var decision = Policy.Decide(Input(35, 35, ready: 5, previous: Previous(5, hold: hold)));

        Assert.Equal(5, decision.DesiredInstances);
        Assert.Null(decision.Hold);
    }
}
