using Serval.Core.Scheduling;
using Serval.TestSupport;

namespace Serval.Core.Tests.Scheduling;

public class TriggerPlannerTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Plan_FirstStartAfterFireTimesHavePassed_FiresNothingForThePast()
    {
        var cron = Cron("*/5 * * * *");
        DateTimeOffset now = Utc("2026-06-10T10:17:30");

        TriggerPlan plan = TriggerPlanner.Plan(cron, lastFire: null, activeSince: now, now);

        Assert.Null(plan.Fire);
        Assert.Equal(0, plan.Missed);
        Assert.Equal(Utc("2026-06-10T10:20"), plan.Next);
    }

    [Fact]
    public void Plan_ActiveSinceBeforeTheFirstFireTime_FiresItOnceItPasses()
    {
        var cron = Cron("*/5 * * * *");

        Assert.Null(TriggerPlanner.Plan(cron, null, Utc("2026-06-10T10:17:30"), Utc("2026-06-10T10:19:59")).Fire);
        TriggerPlan plan = TriggerPlanner.Plan(cron, null, Utc("2026-06-10T10:17:30"), Utc("2026-06-10T10:20:00"));

        Assert.Equal(Utc("2026-06-10T10:20"), plan.Fire);
        Assert.Equal(0, plan.Missed);
        Assert.Equal(Utc("2026-06-10T10:25"), plan.Next);
    }

    [Fact]
    public void Plan_JustFired_WaitsForTheNextTime()
    {
        TriggerPlan plan = TriggerPlanner.Plan(Cron("*/5 * * * *"), Utc("2026-06-10T10:20"), Utc("2026-06-01T00:00"), Utc("2026-06-10T10:22:10"));

        Assert.Null(plan.Fire);
        Assert.Equal(Utc("2026-06-10T10:25"), plan.Next);
    }

    [Theory]
    // Down from 10:00 to 10:17:30: 10:05, 10:10 and 10:15 were due; the catch-up is 10:15, once.
    [InlineData("*/5 * * * *", "2026-06-10T10:00", "2026-06-10T10:17:30", "2026-06-10T10:15", 2, "2026-06-10T10:20")]
    // Every minute, down for a day: one fire, for the last minute; the rest counted up to the cap.
    [InlineData("* * * * *", "2026-06-10T10:00", "2026-06-11T10:00:30", "2026-06-11T10:00", TriggerPlanner.MaxCounted - 1, "2026-06-11T10:01")]
    // Daily at 03:00, down for 3 days: one fire for the last 03:00.
    [InlineData("0 3 * * *", "2026-06-07T03:00", "2026-06-10T12:00", "2026-06-10T03:00", 2, "2026-06-11T03:00")]
    public void Plan_AfterDowntime_FiresOnceForTheLatestDueTime(string cron, string lastFire, string now, string fire, int missed, string next)
    {
        TriggerPlan plan = TriggerPlanner.Plan(Cron(cron), Utc(lastFire), Utc("2026-01-01T00:00"), Utc(now));

        Assert.Equal(Utc(fire), plan.Fire);
        Assert.Equal(missed, plan.Missed);
        Assert.Equal(Utc(next), plan.Next);
    }

    [Fact]
    public void Plan_RedeployedAfterTheLastFire_CountsFromTheDeploy()
    {
        // Last fire 10:00; the version with this cron became active at 10:12: 10:05 and 10:10 are not its times.
        TriggerPlan plan = TriggerPlanner.Plan(Cron("*/5 * * * *"), Utc("2026-06-10T10:00"), Utc("2026-06-10T10:12"), Utc("2026-06-10T10:14"));

        Assert.Null(plan.Fire);
        Assert.Equal(Utc("2026-06-10T10:15"), plan.Next);
    }

    [Theory]
    // 02:30 does not exist in Berlin on 2026-03-29: the fire comes at 03:30 CEST (01:30Z), once.
    [InlineData("30 2 * * *", "2026-03-28T01:30", "2026-03-29T01:30", "2026-03-30T00:30")]
    // 02:30 happens twice on 2026-10-25: it fires the first time (00:30Z) only.
    [InlineData("30 2 * * *", "2026-10-24T00:30", "2026-10-25T00:30", "2026-10-26T01:30")]
    public void Plan_AcrossADstChange_FiresOncePerDay(string cron, string lastFire, string fire, string next)
    {
        var zoned = CronSchedule.Parse(cron).In(Berlin);
        DateTimeOffset at = Utc(fire);

        Assert.Null(TriggerPlanner.Plan(zoned, Utc(lastFire), Utc("2026-01-01T00:00"), at.AddSeconds(-1)).Fire);
        TriggerPlan plan = TriggerPlanner.Plan(zoned, Utc(lastFire), Utc("2026-01-01T00:00"), at);
        Assert.Equal(at, plan.Fire);
        Assert.Equal(0, plan.Missed);

        // After firing, nothing more that day: the repeated hour in autumn does not fire again.
        TriggerPlan after = TriggerPlanner.Plan(zoned, at, Utc("2026-01-01T00:00"), at.AddHours(2));
        Assert.Null(after.Fire);
        Assert.Equal(Utc(next), after.Next);
    }

    [Fact]
    public void Plan_DrivenByAClockWithADowntime_FiresEveryMinuteThenOnceForTheGap()
    {
        // A loop ticking every 10 s records each fire, as the platform does; it is stopped at 10:02:55
        // and started again at 10:07:25, when 10:03 to 10:07 have passed.
        var clock = new FakeTimeProvider(Utc("2026-06-10T09:59:55"));
        var cron = Cron("* * * * *");
        DateTimeOffset activeSince = clock.GetUtcNow();
        DateTimeOffset? last = null;
        var fires = new List<(DateTimeOffset At, int Missed)>();
        void Run(TimeSpan length)
        {
            for (var end = clock.GetUtcNow() + length; clock.GetUtcNow() < end; clock.Advance(TimeSpan.FromSeconds(10)))
            {
                if (TriggerPlanner.Plan(cron, last, activeSince, clock.GetUtcNow()) is { Fire: { } fire } plan)
                {
                    fires.Add((fire, plan.Missed));
                    last = fire;
                }
            }
        }

        Run(TimeSpan.FromMinutes(3));
        clock.Advance(TimeSpan.FromSeconds(270));
        Run(TimeSpan.FromSeconds(30));

        Assert.Equal(
            [
                (Utc("2026-06-10T10:00"), 0), (Utc("2026-06-10T10:01"), 0), (Utc("2026-06-10T10:02"), 0),
                (Utc("2026-06-10T10:07"), 4),
            ],
            fires);
    }

    private static ZonedCron Cron(string text) => CronSchedule.Parse(text).In(TimeZoneInfo.Utc);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);
}
