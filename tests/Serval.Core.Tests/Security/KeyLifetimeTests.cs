using Serval.Core.Security;

namespace Serval.Core.Tests.Security;

public class KeyLifetimeTests
{
    [Theory]
    [InlineData("30d", 30 * 86400)]
    [InlineData("1.5d", 36 * 3600)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("90m", 90 * 60)]
    [InlineData("3600", 3600)]
    public void TryParse_Good(string text, int seconds)
    {
        Assert.True(KeyLifetime.TryParse(text, out TimeSpan lifetime));
        Assert.Equal(TimeSpan.FromSeconds(seconds), lifetime);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0d")]
    [InlineData("0")]
    [InlineData("-1d")]
    [InlineData("soon")]
    [InlineData("1w")]
    public void TryParse_Bad(string text) => Assert.False(KeyLifetime.TryParse(text, out _));
}
