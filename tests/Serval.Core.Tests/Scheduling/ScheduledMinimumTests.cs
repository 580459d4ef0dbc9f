using System.Globalization;
using Serval.Core.Scheduling;

namespace Serval.Core.Tests.Scheduling;

public class ScheduledMinimumTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>The morning peak: 4 from 08:00, 1 from 22:00.</summary>
    private static readonly ScheduleEntry[] Day = [Entry("0 8 * * *", 4), Entry("0 22 * * *", 1)];

    [Theory]
    [InlineData("2026-11-23T07:59", 1)]
    [InlineData("2026-11-23T08:00", 4)]
    [InlineData("2026-11-23T12:00", 4)]
    [InlineData("2026-11-23T21:59:59", 4)]
    [InlineData("2026-11-23T22:00", 1)]
    [InlineData("2026-11-23T23:59", 1)]
    [InlineData("2026-11-24T00:00", 1)]
    [InlineData("2026-11-24T03:00", 1)]
    public void At_AcrossADayAndMidnight_TheLatestFireWins(string now, int expected)
    {
        var decision = ScheduledMinimum.At(Day, TimeZoneInfo.Utc, 2, Utc(now));

        Assert.Equal(expected, decision.Min);
        Assert.NotNull(decision.Source);
        Assert.Equal(expected, decision.Source.Min);
    }

    [Fact]
    public void At_AtMidnight_SaysSinceWhenAndTheNextChange()
    {
        var decision = ScheduledMinimum.At(Day, TimeZoneInfo.Utc, 0, Utc("2026-11-24T00:00"));

        Assert.Equal(new EffectiveMinimum(1, Day[1], Utc("2026-11-23T22:00"), new MinimumChange(Utc("2026-11-24T08:00"), 4)), decision);
    }

    [Theory]
    // Saturday 2026-03-28 is CET (UTC+1): 08:00 is 07:00Z. Sunday 2026-03-29 is CEST (UTC+2): 08:00 is 06:00Z.
    [InlineData("2026-03-28T06:59", 1)]
    [InlineData("2026-03-28T07:00", 4)]
    [InlineData("2026-03-28T20:59", 4)]
    [InlineData("2026-03-28T21:00", 1)]
    [InlineData("2026-03-29T05:59", 1)]
    [InlineData("2026-03-29T06:00", 4)]
    [InlineData("2026-03-29T19:59", 4)]
    [InlineData("2026-03-29T20:00", 1)]
    // Back to CET on Sunday 2026-10-25: 08:00 is 07:00Z again.
    [InlineData("2026-10-24T06:00", 4)]
    [InlineData("2026-10-25T06:00", 1)]
    [InlineData("2026-10-25T07:00", 4)]
    public void At_AcrossDstChangesInBerlin_FollowsTheWallClock(string now, int expected)
    {
        Assert.Equal(expected, ScheduledMinimum.At(Day, Berlin, 0, Utc(now)).Min);
    }

    [Theory]
    [InlineData("2026-11-23T01:00", "4 at 2026-11-23 08:00 Europe/Berlin")]
    [InlineData("2026-11-23T12:00", "1 at 2026-11-23 22:00 Europe/Berlin")]
    [InlineData("2026-11-23T21:00", "4 at 2026-11-24 08:00 Europe/Berlin")]
    // The night the clocks go forward: 08:00 CEST is 06:00Z.
    [InlineData("2026-03-28T22:00", "4 at 2026-03-29 08:00 Europe/Berlin")]
    public void At_NextChange_IsDescribedInTheZone(string now, string expected)
    {
        var next = ScheduledMinimum.At(Day, Berlin, 0, Utc(now)).Next;

        Assert.NotNull(next);
        Assert.Equal(expected, next.Describe(Berlin));
    }

    [Fact]
    public void At_NightTheClocksGoForward_NextChangeIsAnHourEarlierInUtc()
    {
        var next = ScheduledMinimum.At(Day, Berlin, 0, Utc("2026-03-28T22:00")).Next;

        Assert.Equal(new MinimumChange(Utc("2026-03-29T06:00"), 4), next);
    }

    [Fact]
    public void At_NoEntries_IsInstancesMinForever()
    {
        var decision = ScheduledMinimum.At([], Berlin, 3, Utc("2026-11-23T12:00"));

        Assert.Equal(new EffectiveMinimum(3, null, null, null), decision);
    }

    [Fact]
    public void At_WeekdaysOnly_WeekendKeepsFridayEveningsValue()
    {
        ScheduleEntry[] weekdays = [Entry("0 8 * * 1-5", 4), Entry("0 20 * * 1-5", 1)];

        // Saturday 2026-11-28 noon: Friday 20:00 fired last; the next change is Monday 08:00.
        var decision = ScheduledMinimum.At(weekdays, TimeZoneInfo.Utc, 0, Utc("2026-11-28T12:00"));

        Assert.Equal(new EffectiveMinimum(1, weekdays[1], Utc("2026-11-27T20:00"), new MinimumChange(Utc("2026-11-30T08:00"), 4)), decision);
    }

    [Theory]
    // Sunday 2026-11-22: both fire at 08:00, and the later entry wins.
    [InlineData("2026-11-22T09:00", 1)]
    [InlineData("2026-11-23T09:00", 4)]
    public void At_TwoEntriesFireTogether_TheLaterInTheListWins(string now, int expected)
    {
        ScheduleEntry[] schedule = [Entry("0 8 * * *", 4), Entry("0 8 * * 0", 1)];

        Assert.Equal(expected, ScheduledMinimum.At(schedule, TimeZoneInfo.Utc, 0, Utc(now)).Min);
    }

    [Theory]
    // A yearly entry on June 1st: instances.min (2) before it fires, 5 for the 8-day lookback after, then 2 again.
    [InlineData("2026-05-31T23:59", 2, "2026-06-01T00:00", 5)]
    [InlineData("2026-06-01T00:00", 5, "2026-06-09T00:00", 2)]
    [InlineData("2026-06-08T23:59", 5, "2026-06-09T00:00", 2)]
    [InlineData("2026-06-09T00:00", 2, "2027-06-01T00:00", 5)]
    public void At_EntryThatFiresRarely_CountsForTheLookbackOnly(string now, int expected, string nextAt, int nextMin)
    {
        ScheduleEntry[] schedule = [Entry("0 0 1 6 *", 5)];

        var decision = ScheduledMinimum.At(schedule, TimeZoneInfo.Utc, 2, Utc(now));

        Assert.Equal(expected, decision.Min);
        Assert.Equal(new MinimumChange(Utc(nextAt), nextMin), decision.Next);
    }

    [Fact]
    public void At_EntriesThatNeverChangeTheValue_HaveNoNextChange()
    {
        ScheduleEntry[] schedule = [Entry("0 8 * * *", 3), Entry("0 20 * * *", 3)];

        var decision = ScheduledMinimum.At(schedule, TimeZoneInfo.Utc, 0, Utc("2026-11-23T12:00"));

        Assert.Equal(3, decision.Min);
        Assert.Null(decision.Next);
    }

    [Fact]
    public void At_FrequentEntryWithTheCurrentValue_StopsLookingAfterMaxSteps()
    {
        // Every 5 minutes → 2 overrides the yearly entry, which is further than 2000 steps of 5 minutes away.
        ScheduleEntry[] schedule = [Entry("*/5 * * * *", 2), Entry("0 0 1 1 *", 7)];

        var decision = ScheduledMinimum.At(schedule, TimeZoneInfo.Utc, 0, Utc("2026-11-23T12:01"));

        Assert.Equal(2, decision.Min);
        Assert.Equal(Utc("2026-11-23T12:00"), decision.Since);
        Assert.Null(decision.Next);
    }

    private static ScheduleEntry Entry(string cron, int min) => new(CronSchedule.Parse(cron), min);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", CultureInfo.InvariantCulture);
}
