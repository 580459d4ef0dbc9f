namespace Serval.Core.Autoscaling;

/// <summary>
/// A scale-down waiting out <see cref="AutoscalerOptions.ScaleDownDelay"/>: since when fewer
/// instances than the decided number have been enough, and the most wanted since then.
/// </summary>
/// <param name="Since">When the lower desire began.</param>
/// <param name="Highest">The most instances wanted since <paramref name="Since"/>: where the scale-down lands.</param>
public sealed record ScaleDownHold(DateTimeOffset Since, int Highest);
