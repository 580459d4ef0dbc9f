using Serval.Core.Scheduling;

namespace Serval.Core.Tests.Scheduling;

public class ZonedCronTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    // 08:00 in Berlin is 07:00Z in winter (CET) and 06:00Z in summer (CEST); the clocks go forward on 2026-03-29.
    [InlineData("0 8 * * *", "2026-03-28T00:00", "2026-03-28T07:00")]
    [InlineData("0 8 * * *", "2026-03-28T07:00", "2026-03-29T06:00")]
    [InlineData("0 8 * * *", "2026-10-25T00:00", "2026-10-25T07:00")]
    // 02:30 does not exist on 2026-03-29: it fires an hour later, at 03:30 CEST.
    [InlineData("30 2 * * *", "2026-03-28T12:00", "2026-03-29T01:30")]
    // 02:30 happens twice on 2026-10-25 (00:30Z in CEST, 01:30Z in CET): it fires once, the first time.
    [InlineData("30 2 * * *", "2026-10-24T12:00", "2026-10-25T00:30")]
    [InlineData("30 2 * * *", "2026-10-25T00:30", "2026-10-26T01:30")]
    public void NextAfter_InBerlin_ConvertsThroughTheZone(string cron, string after, string expected)
    {
        var zoned = CronSchedule.Parse(cron).In(Berlin);

        Assert.Equal(Utc(expected), zoned.NextAfter(Utc(after)));
    }

    [Theory]
    [InlineData("0 8 * * *", "2026-06-10T08:00", "2026-06-10T08:00")]
    [InlineData("0 8 * * *", "2026-06-10T07:59:59", "2026-06-09T08:00")]
    [InlineData("*/5 * * * *", "2026-06-10T08:04:30", "2026-06-10T08:00")]
    [InlineData("0 8 * * 1", "2026-06-14T12:00", "2026-06-08T08:00")]
    [InlineData("0 0 1 * *", "2026-06-08T23:59", "2026-06-01T00:00")]
    public void LastAtOrBefore_WithinTheLookback_FindsTheLatestFire(string cron, string now, string expected)
    {
        var zoned = CronSchedule.Parse(cron).In(TimeZoneInfo.Utc);

        Assert.Equal(Utc(expected), zoned.LastAtOrBefore(Utc(now), TimeSpan.FromDays(8)));
    }

    [Theory]
    [InlineData("0 0 1 * *", "2026-06-09T00:00")]
    [InlineData("0 0 1 1 *", "2026-06-10T00:00")]
    public void LastAtOrBefore_NothingWithinTheLookback_IsNull(string cron, string now)
    {
        var zoned = CronSchedule.Parse(cron).In(TimeZoneInfo.Utc);

        Assert.Null(zoned.LastAtOrBefore(Utc(now), TimeSpan.FromDays(8)));
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);
}
