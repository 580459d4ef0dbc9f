using Serval.Core.Specs;

namespace Serval.Core.Releases;

/// <summary>
/// Where a function's serving alias sends a call: to <see cref="Stable"/>, or during a release to
/// <see cref="Canary"/> for <see cref="Percent"/> of the callers (only those of <see cref="Bids"/>
/// when it names any). Immutable: a change is a new split, swapped atomically.
/// </summary>
/// <remarks>
/// A caller is a key (the sticky header's value); its bucket is a hash of the key and the canary's
/// number, 0–99, and the canary takes the buckets below <see cref="Percent"/>. As the share only
/// grows (10 → 50 → 100), a caller in the canary stays in it: one switch at most per release.
/// Salting with the canary's number spreads the first 10 % over other callers in the next release.
/// </remarks>
/// <param name="Stable">The version that serves every caller outside the canary.</param>
/// <param name="Canary">The version being released, or null.</param>
/// <param name="Percent">The canary's share of the callers, 0–100.</param>
public sealed record TrafficSplit(int Stable, int? Canary = null, int Percent = 0)
{
    /// <summary>The businesses the canary is offered to; empty: every caller.</summary>
    public IReadOnlySet<string> Bids { get; init; } = new HashSet<string>();

    /// <summary>The request header that names a caller.</summary>
    public string Sticky { get; init; } = ReleaseSpec.DefaultSticky;

    /// <summary>True while two versions share the traffic.</summary>
    public bool Splits => Canary is not null && Percent > 0;

    /// <summary>
    /// The version for a caller with business <paramref name="bid"/> whose bucket is
    /// <paramref name="bucket"/> (<see cref="Bucket"/> of its key, or a random 0–99 for a caller
    /// without one). 10 %: bucket 7 → the canary, bucket 42 → the stable version.
    /// </summary>
    public int Choose(string? bid, int bucket)
    {
        if (Canary is not { } canary || Percent <= 0)
        {
            return Stable;
        }

        if (Bids.Count > 0 && (bid is null || !Bids.Contains(bid)))
        {
            return Stable;
        }

        return bucket < Percent ? canary : Stable;
    }

    /// <summary>The versions with their shares, stable first: <c>[(3, 90), (4, 10)]</c>.</summary>
    public IReadOnlyList<(int Version, int Percent)> Weights =>
        Canary is { } canary && Percent > 0 ? [(Stable, 100 - Percent), (canary, Percent)] : [(Stable, 100)];

    /// <summary>
    /// A caller's bucket, 0–99: FNV-1a (32 bits) over the key's UTF-16 code units, a '/' and the
    /// canary's number, modulo 100. Stable across processes and restarts, so every gateway agrees.
    /// </summary>
    public static int Bucket(string key, int canary)
    {
        const uint prime = 16777619;
        uint hash = 2166136261;
        foreach (char c in key)
        {
            hash = (hash ^ c) * prime;
        }

        hash = (hash ^ '/') * prime;
        for (uint n = (uint)canary; ; n /= 10)
        {
            hash = (hash ^ ('0' + n % 10)) * prime;
            if (n < 10)
            {
                break;
            }
        }

        return (int)(hash % 100);
    }
}
