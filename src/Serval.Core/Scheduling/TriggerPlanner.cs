namespace Serval.Core.Scheduling;

/// <summary>What <see cref="TriggerPlanner.Plan"/> decided for one trigger.</summary>
/// <param name="Fire">The scheduled time to fire for now, or null when nothing is due.</param>
/// <param name="Missed">Earlier scheduled times that were due too and are not run (the catch-up stands for them), at most <see cref="TriggerPlanner.MaxCounted"/> − 1.</param>
/// <param name="Next">The first scheduled time after now, or null when the cron never fires again.</param>
public readonly record struct TriggerPlan(DateTimeOffset? Fire, int Missed, DateTimeOffset? Next);

/// <summary>
/// When a trigger fires, a pure policy: from its cron (in its zone), the scheduled time of its last
/// fire, when its definition became active and <c>now</c>, the one fire that is due now (if any) and
/// the next. The loop that submits the fires reads the clock and calls this; nothing here does.
/// </summary>
/// <remarks>
/// Times are counted from the later of the last fire and <c>activeSince</c>, so a trigger never fires
/// for a time before it existed (a first start fires nothing for the past). Of the scheduled times
/// since then up to <c>now</c>, only the latest fires: after the platform was down for an hour, an
/// every-minute trigger runs once, for the last minute, not sixty times. "*/5 * * * *", last fire
/// 10:00, now 10:17:30 → due 10:05, 10:10, 10:15 → fire 10:15 (2 missed), next 10:20.
/// </remarks>
public static class TriggerPlanner
{
    /// <summary>
    /// At most this many due times are counted one by one (1000); past it the latest is found by
    /// searching back from now, and <see cref="TriggerPlan.Missed"/> says 999.
    /// </summary>
    public const int MaxCounted = 1000;

    /// <summary>The fire due at <paramref name="now"/>, if any, and the next scheduled time.</summary>
    /// <param name="cron">The trigger's cron in its zone.</param>
    /// <param name="lastFire">The scheduled time of its last recorded fire, or null when it never fired.</param>
    /// <param name="activeSince">When its definition became active (the version's deploy): nothing before it fires.</param>
    /// <param name="now">The time to decide for.</param>
    public static TriggerPlan Plan(ZonedCron cron, DateTimeOffset? lastFire, DateTimeOffset activeSince, DateTimeOffset now)
    {
        DateTimeOffset anchor = lastFire is { } last && last > activeSince ? last : activeSince;
        if (cron.NextAfter(anchor) is not { } first || first > now)
        {
            return new TriggerPlan(null, 0, cron.NextAfter(now > anchor ? now : anchor));
        }

        DateTimeOffset latest = first;
        int due = 1;
        while (due < MaxCounted && cron.NextAfter(latest) is { } next && next <= now)
        {
            latest = next;
            due++;
        }

        if (due == MaxCounted)
        {
            latest = cron.LastAtOrBefore(now, now - anchor) ?? latest;
        }

        return new TriggerPlan(latest, due - 1, cron.NextAfter(now));
    }
}
