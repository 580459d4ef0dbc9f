using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

/// <summary>The <c>async</c> section: values, defaults, and one error per bad row with its line.</summary>
public class SpecAsyncTests
{
    private const string Dotnet = "name: fn\nruntime: dotnet\nhandler: My.Handler\n";

    [Fact]
    public void Parse_NoAsyncSection_DefaultsTwoRetriesSixHoursNoDestinations()
    {
        AsyncSpec spec = SpecParser.Parse(Dotnet).SpecOrThrow().Async;

        Assert.Equal(2, spec.Retries);
        Assert.Equal(TimeSpan.FromHours(6), spec.MaxAge);
        Assert.Null(spec.OnSuccess);
        Assert.Null(spec.OnFailure);
        Assert.Empty(spec.Destinations());
    }

    [Fact]
    public void Parse_FullSection_ReadsEveryKey()
    {
        var spec = SpecParser.Parse(Dotnet + "async:\n  retries: 0\n  maxAge: 90m\n  onSuccess: audit-log\n  onFailure: https://hooks.example.org/failed?x=1\n").SpecOrThrow();

        Assert.Equal(0, spec.Async.Retries);
        Assert.Equal(TimeSpan.FromMinutes(90), spec.Async.MaxAge);
        Assert.Equal(new Destination(DestinationKind.Function, "audit-log"), spec.Async.OnSuccess);
        Assert.Equal(new Destination(DestinationKind.Webhook, "https://hooks.example.org/failed?x=1"), spec.Async.OnFailure);
        Assert.Equal(["async.onSuccess", "async.onFailure"], spec.Async.Destinations().Select(d => d.Field));
        Assert.Equal(5, spec.Lines["async.retries"]);
    }

    [Fact]
    public void Parse_AsyncBeforeName_StillRefusesSelfDestination()
    {
        var result = SpecParser.Parse("async: { onFailure: fn }\nname: fn\nruntime: dotnet\nhandler: My.Handler\n");

        SpecError error = Assert.Single(result.Errors);
        Assert.Equal("async.onFailure", error.Field);
        Assert.Contains("names the function itself ('fn')", error.Message);
    }

    [Theory]
    [InlineData("async: { retries: 9 }", "async.retries", "must be at most 8, got 9")]
    [InlineData("async: { retries: -1 }", "async.retries", "must be at least 0, got -1")]
    [InlineData("async: { retries: two }", "async.retries", "must be a whole number, got 'two'")]
    [InlineData("async: { maxAge: 25h }", "async.maxAge", "must be at most 24h, got 25h")]
    [InlineData("async: { maxAge: 0.5 }", "async.maxAge", "must be at least 1s, got 0.5")]
    [InlineData("async: { maxAge: forever }", "async.maxAge", "must be a duration, got 'forever'")]
    [InlineData("async: { onSuccess: Other_Fn }", "async.onSuccess", "must be a function name (lower-case letters, digits and '-') or an http(s) URL, got 'Other_Fn'")]
    [InlineData("async: { onFailure: 'ftp://x.org/y' }", "async.onFailure", "must be an http:// or https:// URL, got 'ftp://x.org/y'")]
    [InlineData("async: { onFailure: [a, b] }", "async.onFailure", "must be a function name or a URL, got a list")]
    [InlineData("async: { onFailure: fn }", "async.onFailure", "names the function itself ('fn')")]
    [InlineData("async: { retry: 3 }", "async.retry", "unknown key")]
    [InlineData("async: 3", "async", "must be a mapping, got '3'")]
    public void Parse_BadAsyncValue_OneErrorOnItsLine(string row, string field, string message)
    {
        var result = SpecParser.Parse(Dotnet + row, "serval.yaml");

        Assert.Null(result.Spec);
        SpecError error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(4, error.Line);
        Assert.Contains(message, error.Message);
        Assert.StartsWith("serval.yaml:4:", error.ToString());
    }

    [Fact]
    public void Parse_UnknownAsyncKey_HintsTheNearOne()
    {
        SpecError error = Assert.Single(SpecParser.Parse(Dotnet + "async: { maxage: 1h }").Errors);

        Assert.Equal("did you mean 'maxAge'?", error.Hint);
    }

    [Fact]
    public void Parse_RetriesAtTopLevel_PointsIntoAsync()
    {
        SpecError error = Assert.Single(SpecParser.Parse(Dotnet + "retries: 3").Errors);

        Assert.Equal("'retries' goes under 'async', as in async: { retries: ... }", error.Hint);
    }
}
