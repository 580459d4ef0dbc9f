using Serval.Core.Simulation;

namespace Serval.Core.Tests.Simulation;

public sealed class LoadTraceTests
{
    [Fact]
    public void Read_Rows_AreAStepFunctionEndingASecondAfterTheLast()
    {
        var (trace, errors) = LoadTrace.Read("t.csv", "# a comment\nsecond,rps\n0,5\n10,50  # a burst\n\n20,5\n");

        Assert.Empty(errors);
        Assert.Equal(TraceKind.Rps, trace!.Kind);
        Assert.Equal(21, trace.End);
        Assert.Equal([5, 5, 50, 50, 5, 0], new[] { 0, 9.9, 10, 19.9, 20.5, 21 }.Select(trace.LevelAt));
        Assert.Equal(50, trace.PeakBetween(0, 20));
        Assert.Equal(5, trace.PeakBetween(0, 10));
        Assert.Equal(10, trace.NextChangeAfter(0));
    }

    [Theory]
    [InlineData("second,qps\n0,1", "t.csv:1: expected the header 'second,rps' or 'second,clients', got 'second,qps'")]
    [InlineData("second,clients\n0,1\n0,2", "t.csv:3: seconds must increase, got 0 after 0")]
    [InlineData("second,clients\n0,-1", "t.csv:2: seconds and levels must not be negative")]
    [InlineData("second,rps\n0;1", "t.csv:2: expected 'second,rps' as two numbers, got '0;1'")]
    [InlineData("second,rps\n", "t.csv: no rows after the header")]
    [InlineData("", "t.csv:1: empty")]
    public void Read_BadTrace_NamesTheLine(string text, string expected)
    {
        var (trace, errors) = LoadTrace.Read("t.csv", text);

        Assert.Null(trace);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
