using Quartz;

namespace Serval.Core.Scheduling;

/// <summary>
/// A <see cref="CronSchedule"/> in a time zone: its fire times as instants. Quartz converts through
/// the zone, so "0 8 * * *" in Europe/Berlin is 07:00Z in winter and 06:00Z in summer. Across a
/// DST change (Quartz's behaviour): a wall-clock time skipped in spring fires an hour later (02:30 →
/// 03:30), and one that happens twice in autumn fires once, the first time. Not thread-safe (Quartz's
/// expressions are not): make one per use.
/// </summary>
public sealed class ZonedCron
{
    private readonly CronExpression[] _expressions;

    internal ZonedCron(CronSchedule schedule, TimeZoneInfo zone)
    {
        Schedule = schedule;
        _expressions = schedule.QuartzExpressions.Select(e => new CronExpression(e) { TimeZone = zone }).ToArray();
    }

    /// <summary>The schedule.</summary>
    public CronSchedule Schedule { get; }

    /// <summary>The first fire time strictly after <paramref name="after"/>; null when it never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        DateTimeOffset? first = null;
        foreach (var expression in _expressions)
        {
            if (expression.GetTimeAfter(after) is { } next && (first is null || next < first))
            {
                first = next;
            }
        }

        return first;
    }

    /// <summary>
    /// The last fire time in (<paramref name="now"/> − <paramref name="lookback"/>, <paramref name="now"/>],
    /// or null when there is none. Quartz only searches forward, so this looks back 1 minute, then 2,
    /// 4, … up to <paramref name="lookback"/>, and walks forward from the first window that holds a
    /// fire time: a daily cron at noon, asked at 13:00, finds it in the 64-minute window after 7 steps.
    /// </summary>
    public DateTimeOffset? LastAtOrBefore(DateTimeOffset now, TimeSpan lookback)
    {
        var floor = now - lookback;
        for (var window = TimeSpan.FromMinutes(1); ; window *= 2)
        {
            var from = window >= lookback ? floor : now - window;
            if (NextAfter(from) is { } fire && fire <= now)
            {
                while (NextAfter(fire) is { } next && next <= now)
                {
                    fire = next;
                }

                return fire;
            }

            if (from == floor)
            {
                return null;
            }
        }
    }
}
