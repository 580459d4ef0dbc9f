namespace Serval.Core.Security;

/// <summary>
/// An API key as the platform keeps it: everything but the secret, which is stored only as a hash.
/// </summary>
/// <param name="Id">The public id (12 hex characters), part of the key text and of every audit record.</param>
/// <param name="Label">What the key is for, as its creator wrote it (may be empty).</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="Functions">Which functions it covers (at least one pattern; <c>*</c> for all).</param>
/// <param name="Created">When it was made.</param>
/// <param name="Expires">When it stops working; null for never.</param>
/// <param name="Quota">Its rate and concurrency limits.</param>
public sealed record ApiKey(
    string Id,
    string Label,
    Scope Scopes,
    IReadOnlyList<FunctionPattern> Functions,
    DateTimeOffset Created,
    DateTimeOffset? Expires,
    KeyQuota Quota)
{
    /// <summary>True when one of <see cref="Functions"/> covers <paramref name="function"/>.</summary>
    public bool Covers(string function)
    {
        foreach (FunctionPattern pattern in Functions)
        {
            if (pattern.Matches(function))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the key covers every function (admin, or a <c>*</c> pattern).</summary>
    public bool CoversAll => Scopes.HasFlag(Scope.Admin) || Functions.Any(p => p.IsAll);
}
