using System.Runtime.InteropServices;
using Serval.Cli.Output;
using Serval.Core.Tensors;

namespace Serval.Cli.Tests;

public class OutputTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(200, "200 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(10 * 1024 * 1024 + 1, "10 MiB")]
    public void Bytes_Sizes_UseBinaryUnits(long bytes, string expected) => Assert.Equal(expected, Formats.Bytes(bytes));

    [Theory]
    [InlineData(42, "42s ago")]
    [InlineData(90 * 60, "1h ago")]
    [InlineData(3 * 86400, "3d ago")]
    [InlineData(30 * 86400, "2025-05-02")]
    public void Ago_Ages_RoundDown(int seconds, string expected) => Assert.Equal(expected, Formats.Ago(Now.AddSeconds(-seconds), Now));

    [Theory]
    [InlineData(-5, "now")]
    [InlineData(0, "now")]
    [InlineData(41.2, "in 42s")]
    [InlineData(90 * 60, "in 1h")]
    [InlineData(3 * 86400 + 5, "in 3d")]
    public void Until_ComingTimes_Round(double seconds, string expected) => Assert.Equal(expected, Formats.Until(Now.AddSeconds(seconds), Now));

    [Theory]
    [InlineData(50, 3.0)]
    [InlineData(99, 5.0)]
    [InlineData(0, 1.0)]
    [InlineData(20, 1.0)]
    public void Percentiles_NearestRank(double p, double expected) =>
        Assert.Equal(expected, Percentiles.Of([5, 1, 4, 2, 3], p));

    [Fact]
    public void Percentiles_NoSamples_NaN() => Assert.True(double.IsNaN(Percentiles.Of([], 50)));

    [Fact]
    public void ShortDigest_Sha256_TwelveHexDigits() =>
        Assert.Equal("0123456789ab", Formats.ShortDigest("sha256:0123456789abcdef0123"));

    [Fact]
    public void TensorTable_LongOutput_ShowsFirstValuesAndArgmax()
    {
        float[] values = Enumerable.Range(0, 100).Select(i => i == 41 ? 9.5f : i * 0.01f).ToArray();
        var tensor = Tensor.From<float>(values, [1, 100]);

        Assert.Equal("0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, … (100 values)", TensorTable.Values(tensor));
        Assert.Equal("min 0 · max 9.5 · argmax 41", TensorTable.Summary(tensor));
    }

    [Fact]
    public void TensorTable_ShortOutput_NoSummary()
    {
        var tensor = Tensor.From<long>([3, -4], [2]);

        Assert.Equal("3, -4", TensorTable.Values(tensor));
        Assert.Equal("", TensorTable.Summary(tensor));
    }
}
