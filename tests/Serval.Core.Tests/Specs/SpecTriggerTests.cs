using Serval.Core.Scheduling;
using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

public class SpecTriggerTests
{
    private const string Dotnet = "name: fn\nruntime: dotnet\nhandler: A.B\n";

    [Fact]
    public void Parse_Triggers_ReadsCronsAndPayloadsAsJsonInOrder()
    {
        const string yaml = """
            name: report
            runtime: dotnet
            handler: Reports.Daily
            timezone: Europe/Berlin
            triggers:
              - cron: "0 3 * * *"
                payload: { report: daily, days: 1, full: true, ratio: 0.5, tags: [a, "b"], none: ~, code: "007", big: 12e3 }
              - { cron: "*/15 * * * 1-5", payload: "plain text" }
              - { cron: "@hourly" }
            """;

        var spec = SpecParser.Parse(yaml).SpecOrThrow();

        Assert.Equal(3, spec.Triggers.Count);
        Assert.Equal(CronSchedule.Parse("0 3 * * *"), spec.Triggers[0].Cron);
        Assert.Equal("""{"report":"daily","days":1,"full":true,"ratio":0.5,"tags":["a","b"],"none":null,"code":"007","big":12000}""", spec.Triggers[0].Payload);
        Assert.Equal("\"plain text\"", spec.Triggers[1].Payload);
        Assert.Equal("{}", spec.Triggers[2].Payload);
        Assert.Equal("Europe/Berlin", spec.TimeZone);
        Assert.Equal(6, spec.Lines["triggers[0].cron"]);
    }

    [Theory]
    [InlineData("payload: 42", "42")]
    [InlineData("payload: -0012", "-12")]
    [InlineData("payload: +7", "7")]
    [InlineData("payload: [1, 2.5, x]", "[1,2.5,\"x\"]")]
    [InlineData("payload: 'true'", "\"true\"")]
    [InlineData("payload: yes", "\"yes\"")]
    [InlineData("payload:", "null")]
    public void Parse_Payload_FollowsYamlsCoreSchema(string payload, string json)
    {
        var spec = SpecParser.Parse(Dotnet + "triggers:\n  - cron: '0 3 * * *'\n    " + payload).SpecOrThrow();

        Assert.Equal(json, Assert.Single(spec.Triggers).Payload);
    }

    [Fact]
    public void Parse_NoTriggers_IsEmpty()
    {
        Assert.Empty(SpecParser.Parse(Dotnet).SpecOrThrow().Triggers);
        Assert.Empty(SpecParser.Parse(Dotnet + "triggers: []").SpecOrThrow().Triggers);
    }

    [Fact]
    public void Parse_PlanWithATrigger_IsAScheduledJob()
    {
        var spec = SpecParser.Parse("name: nightly\nplan:\n  steps:\n    - { function: a }\ntriggers:\n  - { cron: '0 2 * * *', payload: { page: 1 } }").SpecOrThrow();

        Assert.Equal(RuntimeKind.Plan, spec.Runtime);
        Assert.Equal("""{"page":1}""", Assert.Single(spec.Triggers).Payload);
    }

    [Theory]
    // The column points at the field that is wrong: "25" in the quoted cron on line 5.
    [InlineData("  - { cron: \"0 25 * * *\" }", "triggers[0].cron", 5, 16, "cron '0 25 * * *': hour 25 is out of range 0-23", null)]
    [InlineData("  - cron: 0 8 * 13 *", "triggers[0].cron", 5, 17, "cron '0 8 * 13 *': month 13 is out of range 1-12", "1-12 or JAN-DEC")]
    [InlineData("  - { cron: '*/5 * * *' }", "triggers[0].cron", 5, 13, "cron '*/5 * * *' has 4 fields, expected 5", "5 fields")]
    [InlineData("  - { cron: '0 8 * * MON#1' }", "triggers[0].cron", 5, 22, "cron '0 8 * * MON#1'", "'#'")]
    [InlineData("  - { payload: { a: 1 } }", "triggers[0].cron", 5, 5, "required", "every 5 minutes")]
    [InlineData("  - { cron: '0 3 * * *', every: 5m }", "triggers[0].every", 5, 26, "unknown key", "known keys of 'triggers[0]': cron, payload")]
    [InlineData("  - { cron: '0 3 * * *', payload: .inf }", "triggers[0].payload", 5, 35, "'.inf' has no JSON form", "quote it")]
    [InlineData("  - { cron: '0 3 * * *', payload: { a: 1, a: 2 } }", "triggers[0].payload.a", 5, 43, "duplicate key in the payload", null)]
    [InlineData("  - '0 3 * * *'", "triggers[0]", 5, 5, "must be a mapping { cron, payload }, got '0 3 * * *'", "- { cron:")]
    public void Parse_BadTrigger_NamesTheFieldAndWhere(string entry, string field, int line, int column, string message, string? hint)
    {
        var error = Assert.Single(SpecParser.Parse(Dotnet + "triggers:\n" + entry).Errors);

        Assert.Equal(field, error.Field);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message);
        if (hint is not null)
        {
            Assert.Contains(hint, error.Hint);
        }
    }

    [Fact]
    public void Parse_TriggersNotAList_SaysHowToWriteThem()
    {
        var error = Assert.Single(SpecParser.Parse(Dotnet + "triggers: { cron: '0 3 * * *' }").Errors);

        Assert.Equal("triggers", error.Field);
        Assert.Contains("must be a list of { cron, payload } entries, got a mapping", error.Message);
    }

    [Fact]
    public void Parse_TriggerOnAnOnnxFunction_IsRefused()
    {
        var error = Assert.Single(SpecParser.Parse("name: fn\nruntime: onnx\nmodel: m.onnx\ntriggers:\n  - { cron: '0 3 * * *' }").Errors);

        Assert.Equal("triggers", error.Field);
        Assert.Contains("an onnx function's raw input cannot read", error.Message);
    }
}
