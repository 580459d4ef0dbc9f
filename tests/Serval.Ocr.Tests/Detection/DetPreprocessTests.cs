using Serval.Ocr.Detection;

namespace Serval.Ocr.Tests.Detection;

public class DetPreprocessTests
{
    [Theory]
    [InlineData(1920, 1080, 960, 960, 544)]
    [InlineData(306, 97, 960, 320, 96)]
    [InlineData(100, 50, 960, 96, 64)]
    [InlineData(10, 10, 960, 32, 32)]
    [InlineData(1000, 3000, 960, 320, 960)]
    [InlineData(1000, 3000, 640, 224, 640)]
    public void TargetSize_ShrinksToTheLimitAndRoundsTo32(int width, int height, int limit, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), DetPreprocess.TargetSize(width, height, limit));
    }

    [Fact]
    public void Run_RedPicture_PlanesAreBlueGreenRedWithImageNetStatistics()
    {
        DetInput input = DetPreprocess.Run(TestImages.Filled(64, 32, 255, 0, 0));

        Assert.Equal([1L, 3, 32, 64], input.Tensor.Shape);
        ReadOnlySpan<float> values = input.Tensor.AsSpan<float>();
        int plane = 32 * 64;
        // Blue (0 here) with mean 0.485 and std 0.229; green (0) with 0.456 / 0.224; red (255) with 0.406 / 0.225.
        Assert.Equal((0 - 0.485f) / 0.229f, values[0], 1e-4f);
        Assert.Equal((0 - 0.456f) / 0.224f, values[plane + 100], 1e-4f);
        Assert.Equal((1 - 0.406f) / 0.225f, values[2 * plane + plane - 1], 1e-4f);
    }

    [Fact]
    public void Run_ResizesAndRemembersTheSourceSize()
    {
        DetInput input = DetPreprocess.Run(TestImages.Filled(2000, 500, 9, 9, 9));

        Assert.Equal((960, 256, 2000, 500), (input.Width, input.Height, input.SourceWidth, input.SourceHeight));
        Assert.Equal([1L, 3, 256, 960], input.Tensor.Shape);
        Assert.Equal(2000f / 960, input.ScaleX, 1e-5f);
    }
}
