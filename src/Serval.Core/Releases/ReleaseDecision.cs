namespace Serval.Core.Releases;

/// <summary>What the release policy decided.</summary>
public enum ReleaseAction
{
    /// <summary>The step is still being watched: nothing changes.</summary>
    Wait,

    /// <summary>The step was watched for its interval but saw too few requests to judge: it goes on.</summary>
    Hold,

    /// <summary>The step passed: the next share applies from now.</summary>
    Advance,

    /// <summary>The last step passed (or a person said so): the new version serves everyone.</summary>
    Promote,

    /// <summary>The new version did worse (or a person said so): the old version serves everyone.</summary>
    RollBack,
}

/// <summary>A decision with the share that applies after it and why, in words.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Step">The step index that applies after it.</param>
/// <param name="Percent">The new version's share after it: 0 after a rollback, 100 after a promotion.</param>
/// <param name="Reason">Why, with the figures: "v4's error rate 12.0 % (6 of 50) is 12.0 points above v3's 0.0 % ...".</param>
public sealed record ReleaseDecision(ReleaseAction Action, int Step, int Percent, string Reason)
{
    /// <summary>True when the new version is failing requests: switch back without waiting to warm the old one up.</summary>
    public bool Urgent { get; init; }

    /// <summary>True when the decision changes where traffic goes.</summary>
    public bool Moves => Action is ReleaseAction.Advance or ReleaseAction.Promote or ReleaseAction.RollBack;
}
