using Serval.Core.Autoscaling;

namespace Serval.Core.Tests.Autoscaling;

public class AutoscalerOptionsTests
{
    [Fact]
    public void Validate_Defaults_HasNoErrors()
    {
        Assert.Empty(new AutoscalerOptions().Validate());
    }

    [Theory]
    [InlineData("TargetUtilization", "0")]
    [InlineData("TargetUtilization", "1.5")]
    [InlineData("TargetUtilization", "NaN")]
    [InlineData("StableWindow", "0.5")]
    [InlineData("StableWindow", "7200")]
    [InlineData("PanicWindow", "0")]
    [InlineData("PanicWindow", "30")]
    [InlineData("PanicHold", "1")]      // shorter than the 2 s panic window
    [InlineData("PanicHold", "7200")]
    [InlineData("PanicThreshold", "1")]
    [InlineData("PanicThreshold", "Infinity")]
    [InlineData("MaxScaleUpRate", "0.5")]
    [InlineData("MinScaleUpStep", "0")]
    [InlineData("ScaleDownDelay", "-1")]
    public void Validate_BadValue_NamesTheField(string field, string value)
    {
        var number = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var options = field switch
        {
            "TargetUtilization" => new AutoscalerOptions { TargetUtilization = number },
            // A short stable window needs a shorter panic window to be the only problem.
            "StableWindow" => new AutoscalerOptions { StableWindow = TimeSpan.FromSeconds(number), PanicWindow = TimeSpan.FromSeconds(0.1) },
            "PanicWindow" => new AutoscalerOptions { PanicWindow = TimeSpan.FromSeconds(number) },
            "PanicHold" => new AutoscalerOptions { PanicHold = TimeSpan.FromSeconds(number) },
            "PanicThreshold" => new AutoscalerOptions { PanicThreshold = number },
            "MaxScaleUpRate" => new AutoscalerOptions { MaxScaleUpRate = number },
            "MinScaleUpStep" => new AutoscalerOptions { MinScaleUpStep = (int)number },
            "ScaleDownDelay" => new AutoscalerOptions { ScaleDownDelay = TimeSpan.FromSeconds(number) },
            _ => throw new ArgumentException(field),
        };

        var error = Assert.Single(options.Validate());

        Assert.StartsWith(field + ": ", error);
        Assert.Contains("got", error);
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEach()
    {
        var options = new AutoscalerOptions { TargetUtilization = 2, MinScaleUpStep = -1, ScaleDownDelay = TimeSpan.FromSeconds(-5) };

        var errors = options.Validate();

        Assert.Equal(["TargetUtilization", "MinScaleUpStep", "ScaleDownDelay"], errors.Select(e => e[..e.IndexOf(':')]));
    }

    [Fact]
    public void Autoscaler_InvalidOptions_ThrowsNamingTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => new Autoscaler(new AutoscalerOptions { PanicThreshold = 0.5 }));

        Assert.Contains("PanicThreshold: must be more than 1, got 0.5", error.Message);
    }
}
