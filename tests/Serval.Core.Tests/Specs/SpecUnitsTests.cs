using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

public class SpecUnitsTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("60s", 60_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("2m30s", 150_000)]
    [InlineData("1s500ms", 1_500)]
    [InlineData("1.5s", 1_500)]
    [InlineData("90", 90_000)]
    [InlineData("0.5", 500)]
    [InlineData(" 10s ", 10_000)]
    [InlineData("0s", 0)]
    public void TryParseDuration_ValidText_GivesTheDuration(string text, long milliseconds)
    {
        Assert.True(SpecUnits.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-1s")]
    [InlineData("5x")]
    [InlineData("1h 30m")]
    [InlineData("ms")]
    [InlineData("1.s")]
    [InlineData("5 s")]
    [InlineData("1e3")]
    [InlineData("999999999h")]
    public void TryParseDuration_InvalidText_Fails(string text)
    {
        Assert.False(SpecUnits.TryParseDuration(text, out _));
    }

    [Theory]
    [InlineData("512Mi", 512)]
    [InlineData("2Gi", 2048)]
    [InlineData("1.5Gi", 1536)]
    [InlineData("1Ti", 1_048_576)]
    [InlineData("1024Ki", 1)]
    [InlineData("1Ki", 1)] // rounded up to whole MiB
    [InlineData("1G", 954)] // 10^9 bytes = 953.7 MiB
    [InlineData("512M", 489)] // 512 * 10^6 bytes = 488.3 MiB
    [InlineData("1T", 953_675)]
    [InlineData("512", 512)]
    public void TryParseMemoryMb_ValidText_GivesMebibytes(string text, long mebibytes)
    {
        Assert.True(SpecUnits.TryParseMemoryMb(text, out var value));
        Assert.Equal(mebibytes, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2GB")]
    [InlineData("2gi")]
    [InlineData("-1Gi")]
    [InlineData("Gi")]
    [InlineData("2 Gi")]
    [InlineData("lots")]
    public void TryParseMemoryMb_InvalidText_Fails(string text)
    {
        Assert.False(SpecUnits.TryParseMemoryMb(text, out _));
    }

    [Theory]
    [InlineData(1_000, "1s")]
    [InlineData(500, "500ms")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(3_600_000, "1h")]
    [InlineData(0, "0s")]
    public void FormatDuration_Duration_WritesItAsASpecWould(long milliseconds, string expected)
    {
        Assert.Equal(expected, SpecUnits.FormatDuration(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData("timeout: 1h30m", "timeout", "must be at most 1h, got 1h30m")]
    [InlineData("instances: { idle: 0.9 }", "instances.idle", "must be at least 1s, got 0.9")]
    [InlineData("resources: { memory: 63 }", "resources.memory", "must be at least 64Mi, got 63")]
    [InlineData("resources: { memory: 1025Gi }", "resources.memory", "must be at most 1Ti, got 1025Gi")]
    public void Parse_UnitsOutOfRange_ReportsTheValueAsWritten(string line, string field, string message)
    {
        var error = Assert.Single(SpecParser.Parse("name: fn\nruntime: onnx\nmodel: m.onnx\n" + line).Errors);

        Assert.Equal((field, 4, message), (error.Field, error.Line, error.Message));
    }

    [Theory]
    [InlineData("timeout: 1s", "instances: { idle: 1s }", "resources: { memory: 64Mi }")]
    [InlineData("timeout: 1h", "instances: { idle: 24h }", "resources: { memory: 1Ti }")]
    [InlineData("timeout: 3600", "instances: { idle: 1 }", "resources: { memory: 64 }")]
    public void Parse_UnitsAtTheirLimits_Accepts(string timeout, string instances, string resources)
    {
        var result = SpecParser.Parse($"name: fn\nruntime: onnx\nmodel: m.onnx\n{timeout}\n{instances}\n{resources}\n");

        Assert.Empty(result.Errors);
    }
}
