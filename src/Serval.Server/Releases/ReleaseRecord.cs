namespace Serval.Server.Releases;

/// <summary>How a release moves traffic.</summary>
public enum ReleaseKind
{
    /// <summary>A deploy without <c>release:</c>: the new version's instances are readied, then all traffic moves at once.</summary>
    Update,

    /// <summary>A deploy with <c>release:</c>: traffic moves in steps, each judged.</summary>
    Progressive,

    /// <summary>A rollback asked for after a release ended: all traffic moves at once to an earlier version.</summary>
    Rollback,
}

/// <summary>Where a release stands.</summary>
public enum ReleaseState
{
    /// <summary>Traffic is split between the two versions.</summary>
    Running,

    /// <summary>The new version serves everyone.</summary>
    Promoted,

    /// <summary>The old version serves everyone again.</summary>
    RolledBack,

    /// <summary>The new version's instances did not become ready: traffic never moved.</summary>
    Failed,

    /// <summary>A later deploy replaced it while it ran.</summary>
    Superseded,
}

/// <summary>One entry of a release's history.</summary>
/// <param name="At">When.</param>
/// <param name="Action">What happened: <c>start</c>, <c>advance</c>, <c>hold</c>, <c>promote</c>, <c>rollback</c>, <c>fail</c>, <c>supersede</c>.</param>
/// <param name="Percent">The new version's share after it.</param>
/// <param name="Reason">Why, with the figures.</param>
public sealed record ReleaseEvent(DateTimeOffset At, string Action, int Percent, string Reason);

/// <summary>A release of one function from one version to another, kept with its history.</summary>
public sealed record ReleaseRecord
{
    /// <summary>The function.</summary>
    public required string Function { get; init; }

    /// <summary>1, 2, 3... per function.</summary>
    public required int Id { get; init; }

    /// <summary>How it moves traffic.</summary>
    public required ReleaseKind Kind { get; init; }

    /// <summary>The version serving before.</summary>
    public required int From { get; init; }

    /// <summary>The version it moves traffic to.</summary>
    public required int To { get; init; }

    /// <summary>Where it stands.</summary>
    public required ReleaseState State { get; init; }

    /// <summary>The index of its current step (progressive releases).</summary>
    public int Step { get; init; }

    /// <summary>The new version's share now.</summary>
    public int Percent { get; init; }

    /// <summary>When it began.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When its current step began.</summary>
    public required DateTimeOffset StepStarted { get; init; }

    /// <summary>When it ended (null while it runs).</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>Why it is where it is: the last decision's reason.</summary>
    public string Reason { get; init; } = "";

    /// <summary>What happened, oldest first.</summary>
    public IReadOnlyList<ReleaseEvent> History { get; init; } = [];

    /// <summary>True while it runs.</summary>
    public bool IsRunning => State == ReleaseState.Running;

    /// <summary>This record after <paramref name="event"/>: its share, reason and history updated.</summary>
    public ReleaseRecord With(ReleaseEvent @event) =>
        this with { Percent = @event.Percent, Reason = @event.Reason, History = [.. History, @event] };
}
