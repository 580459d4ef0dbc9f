namespace Serval.Core.Releases;

/// <summary>Where a running release stands: which step, since when.</summary>
/// <param name="From">The version serving before the release (the stable one).</param>
/// <param name="To">The version being released (the canary).</param>
/// <param name="Step">The index of the current step in the release's steps.</param>
/// <param name="StepStarted">When the current step began (its observations start then).</param>
public sealed record ReleaseProgress(int From, int To, int Step, DateTimeOffset StepStarted);

/// <summary>A person's command for a running release, or none.</summary>
public enum ReleaseCommand
{
    /// <summary>No command: the policy judges the observations.</summary>
    None,

    /// <summary>Move all traffic to the new version now.</summary>
    Promote,

    /// <summary>Move all traffic back to the old version now.</summary>
    RollBack,
}
