using System.Globalization;
using System.Text;

namespace Serval.Core.Autoscaling;

/// <summary>
/// How many instances a version should have: a pure policy after Knative's autoscaler. The time
/// and the observations come in, a <see cref="ScaleDecision"/> comes out; the loop that ticks it,
/// measures the load and starts or stops instances lives elsewhere and does no arithmetic.
/// </summary>
/// <remarks>
/// In order: the stable window's mean concurrency gives the steady desire; the panic window's
/// gives the burst desire, and a burst desire of <see cref="AutoscalerOptions.PanicThreshold"/>×
/// the instances there are starts a panic in which the number never goes down; a lower steady
/// desire waits out <see cref="AutoscalerOptions.ScaleDownDelay"/>; no request for
/// <c>instances.idle</c> and nothing in flight scales to <c>instances.min</c> (zero by default);
/// then the scale-up rate, <c>min</c>/<c>max</c> and the node's room bound the number.
/// </remarks>
public sealed class Autoscaler
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly AutoscalerOptions _options;

    /// <summary>An autoscaler with valid <paramref name="options"/>; throws <see cref="ArgumentException"/> listing every problem otherwise.</summary>
    public Autoscaler(AutoscalerOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid autoscaler options: " + string.Join("; ", errors), nameof(options));
        }

        _options = options;
    }

    /// <summary>The options this autoscaler decides with.</summary>
    public AutoscalerOptions Options => _options;

    /// <summary>Decides how many instances the version in <paramref name="input"/> should have now.</summary>
    public ScaleDecision Decide(AutoscalerInput input)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(input.Ready, nameof(input.Ready));
        ArgumentOutOfRangeException.ThrowIfNegative(input.Starting, nameof(input.Starting));
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Instances.Concurrency, 1, nameof(input.Instances.Concurrency));
        var now = input.Now;
        var spec = input.Instances;
        var current = input.Ready + input.Starting;
        var previousDesired = input.Previous?.DesiredInstances ?? current;

        // Each instance is asked to carry concurrency × utilisation in flight: 4 × 0.7 = 2.8.
        var target = spec.Concurrency * _options.TargetUtilization;
        var stableWant = InstancesFor(input.Observed.Stable, target);
        var panicWant = InstancesFor(input.Observed.Panic, target);

        var reason = new StringBuilder();
        int wanted;
        DateTimeOffset? panicUntil = null;
        ScaleDownHold? hold = null;

        if (input.Observed.Panic == 0 && IdleFor(input) is { } idleFor)
        {
            // Nothing arrived for instances.idle and nothing is in flight: down to min at once
            // (min is 0 unless provisioned). Idle is its own, longer delay, so the scale-down
            // delay is not added, and a panic without traffic is over.
            wanted = 0;
            reason.Append(Invariant, $"idle: {(idleFor == TimeSpan.MaxValue ? "no request yet" : $"no request for {Seconds(idleFor)}")} (idle after {Seconds(spec.Idle)}) and none in flight → 0");
        }
        else if (PanicUntil(input, panicWant, current) is { } until)
        {
            panicUntil = until;
            var panicRatio = Number(input.Observed.Panic / target);
            if (until == now + _options.PanicHold)
            {
                reason.Append(Invariant, $"panic: {Number(input.Observed.Panic)} in flight over the last {Seconds(_options.PanicWindow)} at target {Number(target)} ")
                    .Append(Invariant, $"→ ceil({panicRatio}) = {panicWant} ≥ {Number(_options.PanicThreshold)} × {Count(Math.Max(current, 1), "instance")}, for {Seconds(_options.PanicHold)}");
            }
            else
            {
                reason.Append(Invariant, $"panicking {Seconds(until - now)} more: {Number(input.Observed.Panic)} in flight over the last {Seconds(_options.PanicWindow)} ")
                    .Append(Invariant, $"at target {Number(target)} → ceil({panicRatio}) = {panicWant}");
            }

            // No scale-down while panicking: keep what the last decision asked for.
            // Previous 5, the last 2 s want 3 → max(3, 5) = 5.
            wanted = Math.Max(panicWant, previousDesired);
            reason.Append(Invariant, $"; no scale-down while panicking: max({panicWant}, {previousDesired}) = {wanted}");
        }
        else
        {
            wanted = stableWant;
            reason.Append(Invariant, $"stable: {Number(input.Observed.Stable)} in flight over {Count(current, "instance")} at target {Number(target)} ")
                .Append(Invariant, $"→ ceil({Number(input.Observed.Stable / target)}) = {stableWant}");

            // No scale-up on an old average: when the stable window wants more than there are but the
            // last 2 s want fewer, the load that raised the average is gone (a spike that ended).
            // Serval's instances start in well under a second, so waiting for the short window to
            // agree costs little, and it stops a fading spike from restarting instances just let go.
            // 3 there, stable wants 5, the last 2 s want 2 → stay at 3.
            if (wanted > current && panicWant < wanted)
            {
                wanted = Math.Max(panicWant, current);
                reason.Append(Invariant, $"; the last {Seconds(_options.PanicWindow)} want only {panicWant} → no scale-up, {wanted}");
            }

            // Not idle and nothing in the window: a request came within instances.idle. Keep one
            // instance for the next, however low the mean: 1 request 30 s ago, idle 60s → 1.
            if (wanted == 0 && input.LastRequestAt is { } last)
            {
                wanted = 1;
                reason.Append(Invariant, $"; a request {Seconds(now - last)} ago (idle after {Seconds(spec.Idle)}) → keep 1");
            }

            (wanted, hold) = DelayScaleDown(wanted, previousDesired, input.Previous?.Hold, now, reason);

            // Instances that sat idle for instances.idle are proof the load fits without them, even
            // while the window still remembers a spike: 4 there, 2 idle → at most 2. They waited
            // longer than the scale-down delay already, so it does not apply to them.
            int needed = current - input.IdleInstances;
            if (input.IdleInstances > 0 && wanted > needed)
            {
                reason.Append(Invariant, $"; {Count(input.IdleInstances, "instance")} idle for {Seconds(spec.Idle)} → {needed}");
                wanted = needed;
                hold = null;
            }
        }

        wanted = LimitRate(wanted, input.Ready, current, reason);
        var desired = Bound(wanted, spec.Min, spec.Max, reason);
        desired = LimitToNode(desired, current, input.NodeCapacity, reason);
        return new ScaleDecision { DesiredInstances = desired, PanicUntil = panicUntil, Hold = hold, Reason = reason.ToString() };
    }

    // The instances `concurrency` needs at `target` each: 35 in flight at 10 → ceil(3.5) = 4.
    // Any load at all needs one: 0.1 → 1. A ratio within 1e-9 of a whole number is that number:
    // 3 × 0.7 is 2.0999999999999996 in binary, and 4.2 / that must still be 2, not 3.
    private static int InstancesFor(double concurrency, double target)
    {
        if (concurrency <= 0)
        {
            return 0;
        }

        var instances = Math.Ceiling(concurrency / target - 1e-9);
        return (int)Math.Clamp(instances, 1, int.MaxValue);
    }

    // How long no request has come, when that is at least instances.idle; MaxValue if none ever did.
    private static TimeSpan? IdleFor(AutoscalerInput input)
    {
        if (input.LastRequestAt is not { } last)
        {
            return TimeSpan.MaxValue;
        }

        var idleFor = input.Now - last;
        return idleFor >= input.Instances.Idle ? idleFor : null;
    }

    // A burst is a panic-window desire of threshold × the instances there are, starting ones
    // included: 1 ready + 1 starting at threshold 2 → panic at a desire of 4. Counting starting
    // ones means a burst already being answered does not keep renewing the panic. With none at
    // all the base is 1: a single waiting request is a cold start, not a burst.
    // A panic lasts PanicHold after its last signal: signal at 10 s, hold 6 s → until 16 s.
    private DateTimeOffset? PanicUntil(AutoscalerInput input, int panicWant, int current)
    {
        if (panicWant > 0 && panicWant >= _options.PanicThreshold * Math.Max(current, 1))
        {
            return input.Now + _options.PanicHold;
        }

        return input.Previous?.PanicUntil is { } until && until > input.Now ? until : null;
    }

    // Fewer instances are given up only once fewer have been enough for the whole delay, and then
    // down to the most wanted meanwhile. Decided 5; wanted 3 at 10 s, 4 at 12 s, 2 at 15 s with a
    // 5 s delay → 5, 5, then 4 at 15 s (a new hold starts for the 2).
    private (int Wanted, ScaleDownHold? Hold) DelayScaleDown(int wanted, int previousDesired, ScaleDownHold? previous, DateTimeOffset now, StringBuilder reason)
    {
        if (wanted >= previousDesired)
        {
            return (wanted, null);
        }

        var hold = previous is null ? new ScaleDownHold(now, wanted) : previous with { Highest = Math.Max(previous.Highest, wanted) };
        var waited = now - hold.Since;
        if (waited >= _options.ScaleDownDelay)
        {
            reason.Append(Invariant, $"; fewer enough for {Seconds(waited)} → down to the most wanted meanwhile, {hold.Highest}");
            return (hold.Highest, null);
        }

        reason.Append(Invariant, $"; fewer enough for {Seconds(waited)} of {Seconds(_options.ScaleDownDelay)} → keep {previousDesired}");
        return (previousDesired, hold);
    }

    // A step asks for at most rate × the ready instances, and at least MinScaleUpStep more than
    // the ready ones: 3 ready at rate 10 → 30; 0 ready, step 1 → 1. Never fewer than already exist.
    private int LimitRate(int wanted, int ready, int current, StringBuilder reason)
    {
        if (wanted <= current)
        {
            return wanted;
        }

        var byRate = (long)Math.Min(Math.Ceiling(ready * _options.MaxScaleUpRate - 1e-9), int.MaxValue);
        var cap = Math.Max(Math.Max(byRate, (long)ready + _options.MinScaleUpStep), current);
        if (wanted <= cap)
        {
            return wanted;
        }

        reason.Append(Invariant, $"; rate: at most {cap} this step (max of {ready} ready × {Number(_options.MaxScaleUpRate)}, {ready} + {_options.MinScaleUpStep})");
        return (int)cap;
    }

    private static int Bound(int wanted, int min, int max, StringBuilder reason)
    {
        if (wanted < min)
        {
            reason.Append(Invariant, $"; min {min}");
            return min;
        }

        if (wanted > max)
        {
            reason.Append(Invariant, $"; max {max}");
            return max;
        }

        return wanted;
    }

    // Never more than the node can host: 3 there, room for 2 more, 8 wanted → 5. The node's room
    // wins over min too (min is reached as room appears); what exists is never taken away.
    private static int LimitToNode(int desired, int current, int capacity, StringBuilder reason)
    {
        var room = (long)current + Math.Max(capacity, 0);
        if (desired <= current || desired <= room)
        {
            return desired;
        }

        reason.Append(Invariant, $"; node has room for {Math.Max(capacity, 0)} more → {room}");
        return (int)room;
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Number(double value) => value.ToString("0.##", Invariant);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.##", Invariant) + "s";
}
