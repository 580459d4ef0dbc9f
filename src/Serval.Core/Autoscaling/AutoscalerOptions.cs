using System.Globalization;

namespace Serval.Core.Autoscaling;

/// <summary>
/// How the <see cref="Autoscaler"/> turns load into a number of instances. The defaults follow
/// Knative's autoscaler, shortened from minutes to seconds: a Serval instance is a local process
/// that is ready in about a second (an ONNX session load), not a pod that takes tens of seconds
/// to schedule, pull and start, so the policy can react and forgive faster.
/// </summary>
public sealed record AutoscalerOptions
{
    /// <summary>
    /// The share of <c>instances.concurrency</c> each instance is asked to carry on average
    /// (default 0.7, Knative's default): the 30 % headroom absorbs a rising load while new
    /// instances cold start. Concurrency 4 → a target of 4 × 0.7 = 2.8 in flight per instance.
    /// </summary>
    public double TargetUtilization { get; init; } = 0.7;

    /// <summary>
    /// The window the steady desire is averaged over, and how long a panic lasts after its last
    /// signal (default 20 s). Knative uses 60 s for pods; inference requests last tens to hundreds
    /// of milliseconds, so 20 s still averages hundreds of them and a tick's noise does not move
    /// the number, while an instance no longer needed is let go within half a minute.
    /// </summary>
    public TimeSpan StableWindow { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The short window a burst is detected in (default 2 s): a tenth of the stable window, as in
    /// Knative (6 s of 60 s). Long enough that one instant's queue does not panic on its own, short
    /// enough that a burst is answered within about one cold start.
    /// </summary>
    public TimeSpan PanicWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Panic when the panic window wants at least this many times the instances there are,
    /// ready or starting (default 2.0, Knative's 200 %). At a utilisation target of 0.7, twice
    /// the instances means the load is 1.4× what the instances can run at once: requests are
    /// queueing, and waiting a stable window to notice would leave them queued.
    /// </summary>
    public double PanicThreshold { get; init; } = 2.0;

    /// <summary>
    /// How long a panic lasts after its last signal. 6 s, three panic windows, where Knative holds a
    /// whole stable window (60 s): a burst with gaps of a second or two keeps its instances, yet the
    /// instances a finished burst no longer needs go within seconds. Knative's long hold protects
    /// pods that take tens of seconds to start; a Serval instance is ready in 0.1–0.4 s from the warm
    /// pool, so a mistaken scale-down costs one short cold start, and a long hold costs idle instances
    /// (utilisation on the spiky trace in bench/RESULTS.md).
    /// </summary>
    public TimeSpan PanicHold { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// One decision asks for at most this many times the ready instances (default 10, Knative's
    /// default): a bad reading (a retry storm, a miscounted queue) costs at most one order of
    /// magnitude per decision, while 1 → 10 → 100 still reaches any node's capacity in two steps.
    /// </summary>
    public double MaxScaleUpRate { get; init; } = 10;

    /// <summary>
    /// A decision may always add this many instances over the ready ones, whatever the rate
    /// (default 1): with nothing ready, 10 × 0 would allow none. One, because from zero the
    /// first instance is what a waiting request needs, and the rate takes over once it is
    /// ready (a second later): 0 → 1 → 10.
    /// </summary>
    public int MinScaleUpStep { get; init; } = 1;

    /// <summary>
    /// A scale-down waits until fewer instances have been enough for this long, then goes to the
    /// most that were wanted meanwhile (default 5 s). An instance stopped and started again costs
    /// a cold start (about a second): holding 5 s keeps a load that dips between two ticks from
    /// stopping and restarting instances, and on top of the 20 s window is still quick.
    /// </summary>
    public TimeSpan ScaleDownDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Every problem with these options, each naming its field (<c>"PanicWindow: must not be
    /// longer than StableWindow (20s), got 30s"</c>); empty when they are valid.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(TargetUtilization > 0 && TargetUtilization <= 1))
        {
            errors.Add(Invariant($"{nameof(TargetUtilization)}: must be more than 0 and at most 1, got {TargetUtilization}"));
        }

        if (StableWindow < TimeSpan.FromSeconds(1) || StableWindow > TimeSpan.FromHours(1))
        {
            errors.Add(Invariant($"{nameof(StableWindow)}: must be between 1s and 1h, got {StableWindow.TotalSeconds}s"));
        }

        if (PanicWindow <= TimeSpan.Zero)
        {
            errors.Add(Invariant($"{nameof(PanicWindow)}: must be more than 0, got {PanicWindow.TotalSeconds}s"));
        }
        else if (PanicWindow > StableWindow)
        {
            errors.Add(Invariant($"{nameof(PanicWindow)}: must not be longer than {nameof(StableWindow)} ({StableWindow.TotalSeconds}s), got {PanicWindow.TotalSeconds}s"));
        }
        else if (PanicHold < PanicWindow || PanicHold > TimeSpan.FromHours(1))
        {
            errors.Add(Invariant($"{nameof(PanicHold)}: must be at least {nameof(PanicWindow)} ({PanicWindow.TotalSeconds}s) and at most 1h, got {PanicHold.TotalSeconds}s"));
        }

        // At 1.0 a steady load exactly on target would panic on every decision.
        if (!(PanicThreshold > 1 && double.IsFinite(PanicThreshold)))
        {
            errors.Add(Invariant($"{nameof(PanicThreshold)}: must be more than 1, got {PanicThreshold}"));
        }

        if (!(MaxScaleUpRate > 1 && double.IsFinite(MaxScaleUpRate)))
        {
            errors.Add(Invariant($"{nameof(MaxScaleUpRate)}: must be more than 1, got {MaxScaleUpRate}"));
        }

        // At 0 a version with no instance could never get its first.
        if (MinScaleUpStep < 1)
        {
            errors.Add(Invariant($"{nameof(MinScaleUpStep)}: must be at least 1, got {MinScaleUpStep}"));
        }

        if (ScaleDownDelay < TimeSpan.Zero)
        {
            errors.Add(Invariant($"{nameof(ScaleDownDelay)}: must not be negative, got {ScaleDownDelay.TotalSeconds}s"));
        }

        return errors;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
