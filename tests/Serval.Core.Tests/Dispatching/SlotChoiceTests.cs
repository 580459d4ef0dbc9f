using Serval.Core.Dispatching;

namespace Serval.Core.Tests.Dispatching;

public class SlotChoiceTests
{
    [Theory]
    [InlineData("", 4, -1)]
    [InlineData("O0", 4, 0)]
    // Bin packing: the busiest with a free slot.
    [InlineData("O1 O3 O4", 4, 1)]
    [InlineData("O0 O2 O1", 4, 1)]
    // Full everywhere: nobody.
    [InlineData("O4 O4", 4, -1)]
    [InlineData("O1 O1", 1, -1)]
    // Provisioned first, even when idle and an on-demand one is busier.
    [InlineData("O3 P0", 4, 1)]
    [InlineData("O0 P1 P2", 4, 2)]
    // A full provisioned one leaves the overflow to on-demand ones.
    [InlineData("P4 O1", 4, 1)]
    // Ties: the earliest.
    [InlineData("O2 O2 O2", 4, 0)]
    [InlineData("O1 P2 P2", 4, 1)]
    // Not serving (starting, draining, broken connection): never chosen.
    [InlineData("xO0", 4, -1)]
    [InlineData("xP3 O0", 4, 1)]
    [InlineData("O1 xO3", 4, 0)]
    public void Choose_TableOfPools_PicksTheExpectedInstance(string pool, int concurrency, int expected) =>
        Assert.Equal(expected, SlotChoice.Choose(Views.Parse(pool), concurrency));
}
