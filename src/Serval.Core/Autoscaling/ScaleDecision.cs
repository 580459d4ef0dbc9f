namespace Serval.Core.Autoscaling;

/// <summary>
/// What <see cref="Autoscaler.Decide"/> wants for one version. Pass it back as
/// <see cref="AutoscalerInput.Previous"/> next time: it carries the panic and the scale-down
/// delay from one decision to the next, so the policy itself keeps no state.
/// </summary>
public sealed record ScaleDecision
{
    /// <summary>How many instances (ready plus starting) the version should have.</summary>
    public required int DesiredInstances { get; init; }

    /// <summary>Whether a burst is being answered: the number does not go down until <see cref="PanicUntil"/>.</summary>
    public bool Panicking => PanicUntil is not null;

    /// <summary>When the panic ends if no new burst is seen (the last signal + the stable window); null when calm.</summary>
    public DateTimeOffset? PanicUntil { get; init; }

    /// <summary>A scale-down waiting out the delay, or null.</summary>
    public ScaleDownHold? Hold { get; init; }

    /// <summary>
    /// The arithmetic behind the number, for logs and the console:
    /// <c>"stable: 35 in flight over 3 instances at target 10 → ceil(3.5) = 4"</c>.
    /// </summary>
    public required string Reason { get; init; }
}
