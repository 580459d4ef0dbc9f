namespace Serval.Core.Security;

/// <summary>A key's limits; null is unlimited.</summary>
/// <param name="RequestsPerMinute">Requests the key may send per minute (a bucket of that many, refilled evenly).</param>
/// <param name="Concurrency">Invocations the key may have running at once.</param>
public sealed record KeyQuota(int? RequestsPerMinute = null, int? Concurrency = null)
{
    /// <summary>No limits.</summary>
    public static readonly KeyQuota None = new();

    /// <summary><c>60 rpm, 4 concurrent</c>, or <c>-</c> when unlimited.</summary>
    public override string ToString() =>
        (RequestsPerMinute, Concurrency) switch
        {
            (null, null) => "-",
            ({ } rpm, null) => $"{rpm} rpm",
            (null, { } c) => $"{c} concurrent",
            ({ } rpm, { } c) => $"{rpm} rpm, {c} concurrent",
        };
}
