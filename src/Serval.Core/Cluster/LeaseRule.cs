namespace Serval.Core.Cluster;

/// <summary>What a controller does with the leader key on this tick.</summary>
public enum LeaseAction
{
    /// <summary>Another controller leads and renews: stand by.</summary>
    Wait,

    /// <summary>No one holds the key: create it (compare-and-set on absence).</summary>
    Acquire,

    /// <summary>This controller holds it: write it again on the revision it holds.</summary>
    Renew,

    /// <summary>The holder stopped renewing: write over the revision last seen (compare-and-set), so only one standby wins.</summary>
    TakeOver,
}

/// <summary>The leader key as this controller last read it.</summary>
/// <param name="Holder">The controller id in it; null when there is no key.</param>
/// <param name="Revision">Its revision (the term of the holder's leadership changes with every write).</param>
/// <param name="SeenSince">When this controller first read that revision, on its own clock.</param>
public sealed record LeaseObservation(string? Holder, ulong Revision, DateTimeOffset SeenSince);

/// <summary>How often the leader renews, and how long a standby waits on an unchanged revision before taking over.</summary>
public sealed record LeaseTiming(TimeSpan Renew, TimeSpan Timeout)
{
    /// <summary>Renew every second; take over after 4 s of silence.</summary>
    public static LeaseTiming Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));

    /// <summary>How long after sending its last successful renewal the leader still acts: one renewal short of the timeout.</summary>
    public TimeSpan Belief => Timeout - Renew;
}

/// <summary>
/// Leader election over a key-value bucket with compare-and-set, pure. Every duration is measured on
/// one controller's own clock, so clocks that disagree between machines do not matter, only their
/// rates. Safety: a leader acts only within <see cref="LeaseTiming.Belief"/> (3 s) of <em>sending</em>
/// its last renewal that succeeded; a standby takes over only when it has seen the same revision for
/// <see cref="LeaseTiming.Timeout"/> (4 s), counted from <em>reading</em> it, which is after that
/// renewal was written. So the old leader has stopped a second before a new one can start; a leader
/// paused past that (a stopped process) finds its renewal refused on wake, and its writes elsewhere are
/// fenced by the term it carries.
/// </summary>
public static class LeaseRule
{
    /// <summary>What <paramref name="self"/> does now.</summary>
    public static LeaseAction Next(string self, LeaseObservation seen, DateTimeOffset now, LeaseTiming timing) =>
        seen.Holder is null ? LeaseAction.Acquire
        : seen.Holder == self ? LeaseAction.Renew
        : now - seen.SeenSince >= timing.Timeout ? LeaseAction.TakeOver
        : LeaseAction.Wait;

    /// <summary>
    /// Whether <paramref name="self"/> may act as leader now: it holds the key and sent its last
    /// successful write at <paramref name="lastWriteSent"/>, less than <see cref="LeaseTiming.Belief"/> ago.
    /// </summary>
    public static bool Leads(string self, LeaseObservation seen, DateTimeOffset? lastWriteSent, DateTimeOffset now, LeaseTiming timing) =>
        seen.Holder == self && lastWriteSent is { } sent && now - sent < timing.Belief;
}
