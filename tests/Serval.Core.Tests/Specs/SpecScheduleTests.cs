using Serval.Core.Scheduling;
using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

public class SpecScheduleTests
{
    [Fact]
    public void Parse_ScheduleAndTimeZone_ReadsEveryEntryInOrder()
    {
        const string yaml = """
            name: ocr-rec
            runtime: onnx
            model: rec.onnx
            instances: { min: 0, max: 6 }
            schedule:
              - { cron: "0 8 * * 1-5", min: 4 }
              - cron: "0 22 * * *"
                min: 1
              - { cron: "@weekly", min: 0 }
            timezone: Europe/Berlin
            """;

        var spec = SpecParser.Parse(yaml).SpecOrThrow();

        Assert.Equal(
            [new ScheduleEntry(CronSchedule.Parse("0 8 * * 1-5"), 4), new ScheduleEntry(CronSchedule.Parse("0 22 * * *"), 1), new ScheduleEntry(CronSchedule.Parse("@weekly"), 0)],
            spec.Schedule);
        Assert.Equal("Europe/Berlin", spec.TimeZone);
        Assert.Equal(6, spec.Lines["schedule[0].cron"]);
        Assert.Equal(7, spec.Lines["schedule[1].cron"]);
        Assert.Equal(8, spec.Lines["schedule[1].min"]);
        Assert.Equal(10, spec.Lines["timezone"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("schedule:\n")]
    [InlineData("schedule: []\n")]
    public void Parse_NoOrEmptySchedule_IsEmptyInUtc(string extra)
    {
        var spec = SpecParser.Parse("name: fn\nruntime: onnx\nmodel: m.onnx\n" + extra).SpecOrThrow();

        Assert.Empty(spec.Schedule);
        Assert.Equal("UTC", spec.TimeZone);
    }

    [Theory]
    [InlineData("UTC", "UTC")]
    [InlineData("America/New_York", "America/New_York")]
    [InlineData("Etc/GMT-2", "Etc/GMT-2")]
    public void Parse_KnownTimeZone_KeepsItsId(string zone, string id)
    {
        var spec = SpecParser.Parse($"name: fn\nruntime: onnx\nmodel: m.onnx\ntimezone: {zone}\n").SpecOrThrow();

        Assert.Equal(id, spec.TimeZone);
        Assert.Equal(id, TimeZoneInfo.FindSystemTimeZoneById(spec.TimeZone).Id);
    }

    [Fact]
    public void Parse_MinEqualToInstancesMaxGivenLater_IsAccepted()
    {
        var spec = SpecParser.Parse("name: fn\nruntime: onnx\nmodel: m.onnx\nschedule: [{ cron: '0 8 * * *', min: 8 }]\ninstances: { max: 8 }\n").SpecOrThrow();

        Assert.Equal(8, Assert.Single(spec.Schedule).Min);
    }

    [Fact]
    public void Parse_ManyScheduleProblems_ReportsEveryOneInFileOrder()
    {
        const string yaml = """
            name: fn
            runtime: onnx
            model: m.onnx
            schedule:
              - { cron: "0 25 * * *", min: 4 }
              - { cron: "0 8 * * *", min: 9 }
              - { min: 1 }
            timezone: Mars/Olympus
            """;

        var result = SpecParser.Parse(yaml);

        Assert.Equal(
            // The cron error points at the hour itself ("25").
            ["5:16 schedule[0].cron", "6:31 schedule[1].min", "7:5 schedule[2].cron", "8:11 timezone"],
            result.Errors.Select(e => $"{e.Line}:{e.Column} {e.Field}"));
    }
}
