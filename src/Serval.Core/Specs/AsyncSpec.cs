namespace Serval.Core.Specs;

/// <summary>
/// <c>async: { retries, maxAge, onSuccess, onFailure }</c>: how invocations sent with
/// <c>X-Serval-Invocation-Type: async</c> are retried, how long they may wait, and where their
/// outcome goes.
/// </summary>
public sealed record AsyncSpec
{
    /// <summary>The most <see cref="Retries"/> a spec may ask for.</summary>
    public const int MaxRetries = 8;

    /// <summary>
    /// Runs after the first that may follow a function error or a timeout (0–8, default 2: three
    /// runs in all). Capacity and system errors (429, 503, a crashed instance) do not count: those
    /// are retried until <see cref="MaxAge"/>.
    /// </summary>
    public int Retries { get; init; } = 2;

    /// <summary>How long an accepted invocation may wait for a successful run before it ends <c>Expired</c> (default 6 h).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Where a succeeded invocation's record goes, or null.</summary>
    public Destination? OnSuccess { get; init; }

    /// <summary>Where a failed or expired invocation's record goes, or null.</summary>
    public Destination? OnFailure { get; init; }

    /// <summary>The destinations given, with the key that names each (<c>async.onSuccess</c>).</summary>
    public IEnumerable<(string Field, Destination Destination)> Destinations()
    {
        if (OnSuccess is not null)
        {
            yield return ("async.onSuccess", OnSuccess);
        }

        if (OnFailure is not null)
        {
            yield return ("async.onFailure", OnFailure);
        }
    }
}

/// <summary>What a destination is.</summary>
public enum DestinationKind
{
    /// <summary>Another function, invoked asynchronously with the record as its body.</summary>
    Function,

    /// <summary>An http:// or https:// URL the record is POSTed to.</summary>
    Webhook,
}

/// <summary>An <c>onSuccess</c> or <c>onFailure</c> destination.</summary>
/// <param name="Kind">A function or a webhook.</param>
/// <param name="Target">The function's name or the URL, as written.</param>
public sealed record Destination(DestinationKind Kind, string Target)
{
    /// <summary>The target as written.</summary>
    public override string ToString() => Target;
}
