using Serval.Ocr.Recognition;

namespace Serval.Ocr.Tests.Recognition;

public class RecPreprocessTests
{
    [Theory]
    [InlineData(200, 40, 3200, 240)]
    [InlineData(100, 48, 3200, 100)]
    [InlineData(101, 48, 3200, 101)]
    [InlineData(10, 100, 3200, 5)]
    [InlineData(4000, 20, 3200, 3200)]
    [InlineData(1000, 48, 320, 320)]
    public void WidthOf_ScalesTo48RowsWithinTheBound(int width, int height, int max, int expected)
    {
        Assert.Equal(expected, RecPreprocess.WidthOf(width, height, max));
    }

    [Fact]
    public void Batch_PadsToTheWidestRoundedTo8_WithZeros()
    {
        // 100×48 → 100 columns, 300×48 → 300 columns; no minimum: padded to 304.
        RecBatch batch = RecPreprocess.Batch([TestImages.Filled(100, 48, 255, 255, 255), TestImages.Filled(300, 48, 0, 0, 0)], minWidth: 0);

        Assert.Equal([2L, 3, 48, 304], batch.Tensor.Shape);
        Assert.Equal([100, 300], batch.Widths);
        Assert.Equal((13, 38), (batch.StepsOf(0), batch.StepsOf(1)));
        ReadOnlySpan<float> v = batch.Tensor.AsSpan<float>();
        int plane = 48 * 304;
        Assert.Equal(1f, v[99], 1e-6f);          // white → (255 / 255 − 0.5) / 0.5
        Assert.Equal(0f, v[100]);                // padding
        Assert.Equal(-1f, v[3 * plane + 299], 1e-6f); // black, second item
        Assert.Equal(0f, v[3 * plane + 300]);
    }

    [Fact]
    public void Batch_NarrowCrops_ArePaddedToTheMinimumWidth()
    {
        RecBatch batch = RecPreprocess.Batch([TestImages.Filled(50, 24, 9, 9, 9)]);

        Assert.Equal([1L, 3, 48, 320], batch.Tensor.Shape);
        Assert.Equal([100], batch.Widths);
    }

    [Fact]
    public void Batch_NoCrops_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => RecPreprocess.Batch([]));

        Assert.Contains("at least one crop", e.Message);
    }
}
