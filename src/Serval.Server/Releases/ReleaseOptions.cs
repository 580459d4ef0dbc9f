namespace Serval.Server.Releases;

/// <summary>Settings of the release controller and its loop.</summary>
public sealed record ReleaseOptions
{
    /// <summary>
    /// Time between decisions. 250 ms: a step's interval is 1 s at the least, so it is judged within
    /// a quarter of it; a tick costs a sort of at most 8192 latencies per version.
    /// </summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The longest a switch waits for the new version's instances to be ready (30 s): the deploy
    /// check loaded the package once already, so this is a second load, seconds for a large model;
    /// past it, traffic moves to those that are ready, or not at all when none is.
    /// </summary>
    public TimeSpan WarmTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long readied instances are kept before the autoscaler may let them go (30 s): time for
    /// traffic to reach them and for the autoscaler's window to see it.
    /// </summary>
    public TimeSpan WarmHold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a version that lost its traffic keeps its instances before they drain (1 s): a call
    /// routed to it just before the switch is still reading its body. Each drain then waits for the
    /// instance's calls in flight, bounded by the node's drain timeout (10 s).
    /// </summary>
    public TimeSpan DrainGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Every error names the field.</summary>
    public IEnumerable<string> Validate()
    {
        if (Tick <= TimeSpan.Zero)
        {
            yield return $"Release Tick must be positive, got {Tick}";
        }

        if (WarmTimeout <= TimeSpan.Zero || WarmHold <= TimeSpan.Zero || DrainGrace < TimeSpan.Zero)
        {
            yield return $"Release WarmTimeout and WarmHold must be positive and DrainGrace not negative ({WarmTimeout} / {WarmHold} / {DrainGrace})";
        }
    }
}
