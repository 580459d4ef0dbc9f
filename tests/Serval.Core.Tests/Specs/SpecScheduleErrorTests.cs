using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

/// <summary>One rule of <c>schedule</c> and <c>timezone</c> per row: the file, then the single error it must give.</summary>
public class SpecScheduleErrorTests
{
    /// <summary>A valid onnx spec on lines 1-3, then "schedule:" on line 4: each row's first entry is on line 5.</summary>
    private const string Schedule = "name: fn\nruntime: onnx\nmodel: m.onnx\nschedule:\n";

    [Theory]
    // Cron syntax: the message names the expression and the part that is wrong.
    [InlineData(Schedule + "  - { cron: \"0 25 * * *\", min: 4 }", "schedule[0].cron", 5, "cron '0 25 * * *': hour 25 is out of range 0-23", null)]
    [InlineData(Schedule + "  - { cron: '0 8 * * *', min: 1 }\n  - { cron: '0 8 * 13 *', min: 1 }", "schedule[1].cron", 6, "cron '0 8 * 13 *': month 13 is out of range 1-12", "1-12 or JAN-DEC")]
    [InlineData(Schedule + "  - { cron: '0 0 8 * * ?', min: 4 }", "schedule[0].cron", 5, "cron '0 0 8 * * ?' has 6 fields, expected 5", "seconds and years")]
    [InlineData(Schedule + "  - { cron: '0 8 ? * MON', min: 4 }", "schedule[0].cron", 5, "day-of-month '?' is Quartz syntax, not standard cron", "'*'")]
    [InlineData(Schedule + "  - { cron: '', min: 4 }", "schedule[0].cron", 5, "cron '' is empty", "5 fields")]
    [InlineData(Schedule + "  - { cron: [0, 8], min: 4 }", "schedule[0].cron", 5, "must be a cron expression, got a list", null)]
    [InlineData(Schedule + "  - { cron: , min: 4 }", "schedule[0].cron", 5, "needs a value", null)]
    // The same times twice.
    [InlineData(Schedule + "  - { cron: '0 8 * * 1-5', min: 4 }\n  - { cron: '0 8 * * MON-FRI', min: 2 }", "schedule[1].cron", 6, "fires at the same times as '0 8 * * 1-5' on line 5", "remove one")]
    // min.
    [InlineData(Schedule + "  - { cron: '0 8 * * *', min: 9 }", "schedule[0].min", 5, "must not be more than instances.max (4, the default), got 9", "raise instances.max")]
    [InlineData(Schedule + "  - { cron: '0 8 * * *', min: 3 }\ninstances: { max: 2 }", "schedule[0].min", 5, "must not be more than instances.max (2), got 3", null)]
    [InlineData(Schedule + "  - { cron: '0 8 * * *', min: -1 }", "schedule[0].min", 5, "must be at least 0, got -1", null)]
    [InlineData(Schedule + "  - { cron: '0 8 * * *', min: many }", "schedule[0].min", 5, "must be a whole number, got 'many'", null)]
    // Required keys, unknown keys.
    [InlineData(Schedule + "  - min: 4", "schedule[0].cron", 5, "required", "'cron: \"0 8 * * *\"' is 08:00 every day")]
    [InlineData(Schedule + "  - cron: '0 8 * * *'", "schedule[0].min", 5, "required", "min: 4")]
    [InlineData(Schedule + "  - { cron: '0 8 * * *', min: 4, timezone: UTC }", "schedule[0].timezone", 5, "unknown key", "'timezone' is a top-level key")]
    [InlineData(Schedule + "  - { crn: '0 8 * * *', cron: '0 9 * * *', min: 4 }", "schedule[0].crn", 5, "unknown key", "did you mean 'cron'?")]
    [InlineData(Schedule + "  - { cron: '0 8 * * *', min: 4, min: 5 }", "schedule[0].min", 5, "duplicate key", null)]
    // Shapes.
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\nschedule: { cron: '0 8 * * *', min: 4 }", "schedule", 4, "must be a list of { cron, min } entries, got a mapping", "- { cron: \"0 8 * * *\", min: 4 }")]
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\nschedule: '0 8 * * *'", "schedule", 4, "must be a list of { cron, min } entries, got '0 8 * * *'", null)]
    [InlineData(Schedule + "  - '0 8 * * *'", "schedule[0]", 5, "must be a mapping { cron, min }, got '0 8 * * *'", "- { cron:")]
    [InlineData(Schedule + "  -", "schedule[0]", 5, "must be a mapping { cron, min }, got nothing", null)]
    // The time zone.
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\ntimezone: Europe/Berln", "timezone", 4, "unknown time zone 'Europe/Berln'", "did you mean 'Europe/Berlin'?")]
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\ntimezone: Berlin", "timezone", 4, "unknown time zone 'Berlin'", "did you mean 'Europe/Berlin'?")]
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\ntimezone: New York", "timezone", 4, "unknown time zone 'New York'", "did you mean 'America/New_York'?")]
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\ntimezone: Mars/Olympus", "timezone", 4, "unknown time zone 'Mars/Olympus'", "an IANA time zone id such as 'Europe/Berlin'")]
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\ntimezone: [UTC]", "timezone", 4, "must be a time zone id, got a list", null)]
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\ntimezone:", "timezone", 4, "needs a value", null)]
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\ntz: UTC", "tz", 4, "unknown key", "did you mean 'timezone'?")]
    [InlineData("name: fn\nruntime: onnx\nmodel: m.onnx\ncron: '0 8 * * *'", "cron", 4, "unknown key", "did you mean 'schedule'?")]
    public void Parse_InvalidSchedule_ReportsTheFieldLineAndMessage(string yaml, string field, int line, string message, string? hint)
    {
        var result = SpecParser.Parse(yaml);

        Assert.Null(result.Spec);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
        if (hint is not null)
        {
            Assert.Contains(hint, error.Hint);
        }
    }

    [Fact]
    public void Parse_UnquotedCronStartingWithStar_HintsToQuoteIt()
    {
        var error = Assert.Single(SpecParser.Parse(Schedule + "  - cron: */5 * * * *\n    min: 1").Errors);

        Assert.Equal(5, error.Line);
        Assert.Contains("alias", error.Message);
        Assert.Contains("start with '*'", error.Hint);
    }
}
