using Serval.Core.Autoscaling;
using Serval.Core.Specs;

namespace Serval.Core.Tests.Autoscaling;

/// <summary>
/// One version driven second by second with a fake clock: each step holds a load for a second,
/// records it in a real <see cref="ConcurrencyWindow"/>, decides, and (unless told otherwise)
/// makes the decided instances ready at once.
/// </summary>
internal sealed class Scenario
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ConcurrencyWindow _window;

    public Scenario(InstancesSpec instances, AutoscalerOptions? options = null)
    {
        Autoscaler = new Autoscaler(options ?? new AutoscalerOptions());
        Instances = instances;
        _window = new ConcurrencyWindow(Autoscaler.Options.StableWindow);
        _window.Record(Now, 0);
    }

    public Autoscaler Autoscaler { get; }

    public InstancesSpec Instances { get; set; }

    public DateTimeOffset Now { get; private set; } = T0;

    public int Ready { get; set; }

    public int Capacity { get; set; } = 100;

    public bool InstancesFollow { get; set; } = true;

    public DateTimeOffset? LastRequestAt { get; private set; }

    public ScaleDecision? Last { get; private set; }

    /// <summary>Seconds since <see cref="T0"/>.</summary>
    public double Elapsed => (Now - T0).TotalSeconds;

    /// <summary>Holds <paramref name="inFlight"/> for each of <paramref name="seconds"/> seconds (requests arrive whenever it is above 0) and decides after each.</summary>
    public List<ScaleDecision> Run(int seconds, int inFlight)
    {
        var decisions = new List<ScaleDecision>();
        for (var i = 0; i < seconds; i++)
        {
            _window.Record(Now, inFlight);
            if (inFlight > 0)
            {
                LastRequestAt = Now;
            }

            Now += TimeSpan.FromSeconds(1);
            decisions.Add(Decide());
        }

        return decisions;
    }

    public ScaleDecision Decide()
    {
        Last = Autoscaler.Decide(new AutoscalerInput
        {
            Now = Now,
            Observed = _window.Observe(Now, Autoscaler.Options),
            Ready = Ready,
            Instances = Instances,
            LastRequestAt = LastRequestAt,
            NodeCapacity = Capacity,
            Previous = Last,
        });
        if (InstancesFollow)
        {
            Ready = Last.DesiredInstances;
        }

        return Last;
    }
}
