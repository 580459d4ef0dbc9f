using Serval.Core.Security;

namespace Serval.Core.Tests.Security;

public class AccessPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static ApiKey Key(Scope scopes, string functions = "*", DateTimeOffset? expires = null) =>
        new("0123456789ab", "test", scopes, [.. functions.Split(',').Select(f => new FunctionPattern(f))], Now.AddDays(-1), expires, KeyQuota.None);

    [Theory]
    // key scopes, key functions, needed scope, function (null: any) → status (0 = allowed), what the reason names
    [InlineData(Scope.Invoke, "ocr-rec", Scope.Invoke, "ocr-rec", 0, "")]
    [InlineData(Scope.Invoke, "ocr-rec", Scope.Invoke, "ocr-det", 403, "does not cover function 'ocr-det' (it covers ocr-rec)")]
    [InlineData(Scope.Invoke, "ocr-*", Scope.Invoke, "ocr-det", 0, "")]
    [InlineData(Scope.Invoke, "ocr-*", Scope.Invoke, "ocr", 403, "does not cover function 'ocr'")]
    [InlineData(Scope.Invoke, "ocr*", Scope.Invoke, "ocr", 0, "")]
    [InlineData(Scope.Invoke, "ocr*", Scope.Invoke, "det", 403, "does not cover function 'det'")]
    [InlineData(Scope.Invoke, "a,ocr*", Scope.Invoke, "a", 0, "")]
    [InlineData(Scope.Invoke, "*", Scope.Invoke, "anything", 0, "")]
    [InlineData(Scope.Invoke, "ocr*", Scope.Deploy, "ocr-rec", 403, "lacks scope deploy (it has scope invoke)")]
    [InlineData(Scope.Invoke, "*", Scope.Deploy, null, 403, "lacks scope deploy")]
    [InlineData(Scope.Deploy, "ocr*", Scope.Invoke, "ocr-rec", 403, "lacks scope invoke (it has scope deploy)")]
    [InlineData(Scope.Deploy, "ocr*", Scope.Deploy, "ocr-rec", 0, "")]
    [InlineData(Scope.Deploy, "ocr*", Scope.Deploy, "det", 403, "does not cover function 'det'")]
    [InlineData(Scope.Deploy, "ocr*", Scope.Deploy, null, 0, "")]
    [InlineData(Scope.Deploy | Scope.Invoke, "ocr*", Scope.Invoke, "ocr-rec", 0, "")]
    [InlineData(Scope.Deploy | Scope.Invoke, "*", Scope.Admin, null, 403, "lacks scope admin (it has scope deploy,invoke)")]
    [InlineData(Scope.Admin, "ocr-rec", Scope.Deploy, "det", 0, "")]
    [InlineData(Scope.Admin, "*", Scope.Admin, null, 0, "")]
    [InlineData(Scope.Invoke, "ocr*", Scope.None, null, 0, "")]
    [InlineData(Scope.Deploy, "ocr*", Scope.Deploy, "*", 403, "does not cover function '*'")]
    [InlineData(Scope.Deploy, "*", Scope.Deploy, "*", 0, "")]
    public void Decide_ScopeAndFunction_AllowsOrNamesWhatIsMissing(Scope scopes, string functions, Scope required, string? function, int status, string reason)
    {
        AccessDecision decision = AccessPolicy.Decide(Key(scopes, functions), Now, required, function);

        Assert.Equal(status == 0, decision.Allowed);
        Assert.Equal(status, decision.Status);
        Assert.Contains(reason, decision.Reason);
        if (status == 403)
        {
            Assert.Contains("key 0123456789ab", decision.Reason);
        }
    }

    [Theory]
    // expiry relative to now (minutes; null: never) → allowed
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(-60, false)]
    public void Decide_Expiry_401SayingItExpired(int? minutes, bool allowed)
    {
        DateTimeOffset? expires = minutes is { } m ? Now.AddMinutes(m) : null;

        AccessDecision decision = AccessPolicy.Decide(Key(Scope.Admin, "*", expires), Now, Scope.Invoke, "f");

        Assert.Equal(allowed, decision.Allowed);
        if (!allowed)
        {
            Assert.Equal(401, decision.Status);
            Assert.Contains($"expired at {expires:yyyy-MM-dd HH:mm:ss}Z", decision.Reason);
        }
    }

    [Fact]
    public void Decide_ExpiredKeyOutsideItsScope_ExpiryComesFirst()
    {
        AccessDecision decision = AccessPolicy.Decide(Key(Scope.Invoke, "a", Now.AddSeconds(-1)), Now, Scope.Deploy, "b");

        Assert.Equal(401, decision.Status);
    }

    [Fact]
    public void Decide_MissingScope_NamesItInTheDecision()
    {
        AccessDecision scope = AccessPolicy.Decide(Key(Scope.Invoke), Now, Scope.Deploy, "f");
        AccessDecision function = AccessPolicy.Decide(Key(Scope.Invoke, "a"), Now, Scope.Invoke, "b");

        Assert.Equal(Scope.Deploy, scope.MissingScope);
        Assert.Null(scope.Function);
        Assert.Equal("b", function.Function);
        Assert.Null(function.MissingScope);
    }
}
