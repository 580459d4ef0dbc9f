namespace Serval.Core.Alerts;

/// <summary>A measurement of one rule's signal for one function at one evaluation.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Function">The function measured.</param>
/// <param name="Value">The signal's value (a share, seconds or a count).</param>
/// <param name="Requests">Invocations in the window behind it (for <see cref="AlertRule.MinRequests"/>).</param>
public readonly record struct AlertReading(string Rule, string Function, double Value, long Requests);
