using Serval.Core.Batching;

namespace Serval.Core.Tests.Batching;

public class BatchingOptionsTests
{
    [Fact]
    public void Validate_Defaults_HasNoErrors()
    {
        Assert.Empty(new BatchingOptions().Validate());
        Assert.Empty(new BatchingOptions { WidthBuckets = [160, 320, 640, 1280] }.Validate());
    }

    public static TheoryData<string, BatchingOptions> BadOptions => new()
    {
        { "Max", new BatchingOptions { Max = 0 } },
        { "Max", new BatchingOptions { Max = 1025 } },
        { "Delay", new BatchingOptions { Delay = TimeSpan.FromMilliseconds(-1) } },
        { "Delay", new BatchingOptions { Delay = TimeSpan.FromSeconds(11) } },
        { "WidthBuckets", new BatchingOptions { WidthBuckets = [] } },
        { "WidthBuckets", new BatchingOptions { WidthBuckets = [320, 160] } },
        { "WidthBuckets", new BatchingOptions { WidthBuckets = [160, 160] } },
        { "WidthBuckets", new BatchingOptions { WidthBuckets = [0, 160] } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadValue_NamesTheField(string field, BatchingOptions options)
    {
        var error = Assert.Single(options.Validate());

        Assert.StartsWith(field + ": ", error);
        Assert.Contains("got", error);
    }
}
