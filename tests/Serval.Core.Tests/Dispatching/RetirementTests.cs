using Serval.Core.Dispatching;

namespace Serval.Core.Tests.Dispatching;

public class RetirementTests
{
    [Theory]
    [InlineData("", 0, "")]
    [InlineData("O0 O0", 2, "")]
    [InlineData("O0 O0", 5, "")]
    // Longest idle first.
    [InlineData("O0@3 O0@1 O0@2", 1, "1 2")]
    [InlineData("O0@3 O0@1 O0@2", 0, "1 2 0")]
    [InlineData("O0@3 O0@1 O0@2", -1, "1 2 0")]
    // On-demand before provisioned, whatever their idle time.
    [InlineData("P0@0 O0@9", 1, "1")]
    [InlineData("P0@0 O0@9", 0, "1 0")]
    // Busy ones stay, so fewer than the surplus may go.
    [InlineData("O1@0 O0@5 O2@1", 0, "1")]
    [InlineData("P0@2 O1 O0@5", 1, "2 0")]
    // Ties: the earliest first.
    [InlineData("O0@4 O0@4 O0@4", 1, "0 1")]
    public void ForScaleDown_TableOfPools_ChoosesIdleOnDemandLongestIdleFirst(string pool, int desired, string expected) =>
        Assert.Equal(Indices(expected), Retirement.ForScaleDown(Views.Parse(pool), desired));

    [Theory]
    [InlineData("", -1)]
    [InlineData("O1", -1)]
    [InlineData("P0", -1)]
    [InlineData("O0@5 O0@2 O0@3", 1)]
    [InlineData("P0@0 O0@7", 1)]
    [InlineData("O2@0 O0@7", 1)]
    [InlineData("O0@2 O0@2", 0)]
    public void LongestIdle_TableOfPools_OnlyIdleOnDemand(string pool, int expected) =>
        Assert.Equal(expected, Retirement.LongestIdle(Views.Parse(pool)));

    [Theory]
    // Now is minute 10, idle after 5 minutes.
    [InlineData("", 0)]
    [InlineData("O0@4", 1)]
    [InlineData("O0@5", 1)]
    [InlineData("O0@5.5", 0)]
    [InlineData("P0@0 O1@0 O0@0 O0@9", 1)]
    public void CountIdle_TableOfPools_CountsIdleOnDemandPastTheIdleTime(string pool, int expected) =>
        Assert.Equal(expected, Retirement.CountIdle(Views.Parse(pool), Views.At(10), TimeSpan.FromMinutes(5)));

    private static int[] Indices(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
}
