using Serval.Core.Scheduling;

namespace Serval.Core.Tests.Scheduling;

public class CronScheduleTests
{
    [Theory]
    [InlineData("0 8 * * *", "0 0 8 * * ?")]
    [InlineData("0 8 * * 1-5", "0 0 8 ? * 2,3,4,5,6")]
    [InlineData("0 8 * * MON-FRI", "0 0 8 ? * 2,3,4,5,6")]
    [InlineData("0 8 * * mon,Wed", "0 0 8 ? * 2,4")]
    [InlineData("0 22 * * 0", "0 0 22 ? * 1")]
    [InlineData("0 22 * * 7", "0 0 22 ? * 1")]
    [InlineData("0 22 * * 5-7", "0 0 22 ? * 1,6,7")]
    [InlineData("0 22 * * 0-6", "0 0 22 * * ?")]
    [InlineData("*/15 * * * *", "0 0,15,30,45 * * * ?")]
    [InlineData("10/20 * * * *", "0 10,30,50 * * * ?")]
    [InlineData("0 9-17/4 * * *", "0 0 9,13,17 * * ?")]
    [InlineData("0 0 * * */1", "0 0 0 * * ?")]
    [InlineData("30 6 1 * *", "0 30 6 1 * ?")]
    [InlineData("0 0 1-31 * *", "0 0 0 * * ?")]
    [InlineData("0 0 * JAN,jul *", "0 0 0 * 1,7 ?")]
    [InlineData("0 0 29 2 *", "0 0 0 29 2 ?")]
    [InlineData("0 0 30 2 1", "0 0 0 ? 2 2")]
    [InlineData("0 8 */1 * 1-5", "0 0 8 ? * 2,3,4,5,6")]
    [InlineData("  0   8 * *\t*  ", "0 0 8 * * ?")]
    [InlineData("@daily", "0 0 0 * * ?")]
    [InlineData("@midnight", "0 0 0 * * ?")]
    [InlineData("@hourly", "0 0 * * * ?")]
    [InlineData("@weekly", "0 0 0 ? * 1")]
    [InlineData("@monthly", "0 0 0 1 * ?")]
    [InlineData("@YEARLY", "0 0 0 1 1 ?")]
    public void Parse_FiveFields_TranslatesToOneQuartzExpression(string cron, string quartz)
    {
        var schedule = CronSchedule.Parse(cron, out var error);

        Assert.Null(error);
        Assert.Equal([quartz], schedule!.QuartzExpressions);
        Assert.Equal(cron.Trim(), schedule.Text);
    }

    [Fact]
    public void Parse_BothDayFieldsRestricted_FiresOnEitherAsCronDoes()
    {
        var schedule = CronSchedule.Parse("0 8 1,15 * 1");

        Assert.Equal(["0 0 8 1,15 * ?", "0 0 8 ? * 2"], schedule.QuartzExpressions);

        // 2026-06-01 is a Monday and the 1st; the next is Monday the 8th, then the 15th (a Monday too), then the 22nd.
        var zoned = schedule.In(TimeZoneInfo.Utc);
        var fires = new List<DateTimeOffset>();
        var at = Utc("2026-05-31T00:00");
        while (fires.Count < 4 && zoned.NextAfter(at) is { } next)
        {
            fires.Add(at = next);
        }

        Assert.Equal([Utc("2026-06-01T08:00"), Utc("2026-06-08T08:00"), Utc("2026-06-15T08:00"), Utc("2026-06-22T08:00")], fires);
    }

    [Theory]
    [InlineData("0 25 * * *", "cron '0 25 * * *': hour 25 is out of range 0-23", null)]
    [InlineData("60 * * * *", "cron '60 * * * *': minute 60 is out of range 0-59", null)]
    [InlineData("0 8 0 * *", "day-of-month 0 is out of range 1-31", null)]
    [InlineData("0 8 * 13 *", "month 13 is out of range 1-12", "1-12 or JAN-DEC")]
    [InlineData("0 8 * * 8", "day-of-week 8 is out of range 0-7", "0 and 7 are Sunday")]
    [InlineData("0 8am * * *", "hour '8am' is not a number", "hour is 0-23")]
    [InlineData("0 8 * * MONDAY", "day-of-week 'MONDAY' is not a number", "SUN-SAT")]
    [InlineData("0 8 * *", "cron '0 8 * *' has 4 fields, expected 5", "minute hour day-of-month month day-of-week")]
    [InlineData("0 0 8 * * ? 2026", "has 7 fields, expected 5", "seconds and years")]
    [InlineData("", "cron '' is empty", "5 fields")]
    [InlineData("0 8 ? * MON", "day-of-month '?' is Quartz syntax, not standard cron", "writes '*' for any value")]
    [InlineData("0 8 L * *", "day-of-month 'L' is Quartz syntax", "no 'L', 'W' or '#'")]
    [InlineData("0 8 15W * *", "day-of-month '15W' is Quartz syntax", null)]
    [InlineData("0 8 * * MON#1", "day-of-week 'MON#1' is Quartz syntax", null)]
    [InlineData("0 8 * * 5L", "day-of-week '5L' is Quartz syntax", null)]
    [InlineData("0 22-6 * * *", "hour range 22-6 goes backwards", "'22-23,0-6'")]
    [InlineData("0 8 * * FRI-MON", "day-of-week range FRI-MON goes backwards", null)]
    [InlineData("*/0 * * * *", "minute step 0 must be at least 1", null)]
    [InlineData("*/x * * * *", "minute step 'x' is not a whole number", null)]
    [InlineData("1,,2 * * * *", "minute has an empty item in its list", null)]
    [InlineData("-5 * * * *", "minute '-5' is missing a number", null)]
    [InlineData("0 0 30 2 *", "cron '0 0 30 2 *' never fires: no month it names has day 30", null)]
    [InlineData("0 0 31 4,6 *", "never fires", null)]
    [InlineData("0 8 */2 * 1-5", "day-of-month '*/2' and day-of-week '1-5' would both have to match", "write '*' in one of the two day fields")]
    [InlineData("@reboot", "cron '@reboot' is not a known shorthand", "@daily")]
    public void Parse_Invalid_NamesThePartThatIsWrong(string cron, string message, string? hint)
    {
        Assert.Null(CronSchedule.Parse(cron, out var error));
        Assert.NotNull(error);
        Assert.Contains(message, error.Message);
        if (hint is not null)
        {
            Assert.Contains(hint, error.Hint);
        }
    }

    [Fact]
    public void Parse_InvalidWithoutErrorOut_ThrowsFormatException()
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse("0 25 * * *"));

        Assert.Equal("cron '0 25 * * *': hour 25 is out of range 0-23", error.Message);
    }

    [Theory]
    [InlineData("0 25 * * *", 2)]
    [InlineData("  0 8 * 13 *", 6)]
    [InlineData("0   8 * * MON#1", 10)]
    [InlineData("0 8 * *", null)]
    [InlineData("@sometimes", null)]
    public void Parse_Invalid_ErrorSaysWhereTheWrongFieldStarts(string text, int? offset)
    {
        Assert.Null(CronSchedule.Parse(text, out var error));

        Assert.Equal(offset, error!.Offset);
    }

    [Fact]
    public void Equals_SameText_IsEqual()
    {
        Assert.Equal(CronSchedule.Parse("0 8 * * *"), CronSchedule.Parse("0 8 * * *"));
        Assert.NotEqual(CronSchedule.Parse("0 8 * * *"), CronSchedule.Parse("0 9 * * *"));
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);
}
