namespace Serval.Core.Autoscaling;

/// <summary>
/// One version's mean concurrency (in flight plus queued) over the two windows of
/// <see cref="AutoscalerOptions"/>, as <see cref="ConcurrencyWindow.Observe"/> gives it.
/// </summary>
/// <param name="Stable">The mean over <see cref="AutoscalerOptions.StableWindow"/>.</param>
/// <param name="Panic">The mean over <see cref="AutoscalerOptions.PanicWindow"/>.</param>
public readonly record struct ConcurrencyObservation(double Stable, double Panic);
