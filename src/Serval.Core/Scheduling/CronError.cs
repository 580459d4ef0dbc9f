namespace Serval.Core.Scheduling;

/// <summary>Why a cron expression was rejected: "cron '0 25 * * *': hour 25 is out of range 0-23", and how to fix it.</summary>
/// <param name="Message">What is wrong, naming the expression and the part of it.</param>
/// <param name="Hint">How to fix it, or null.</param>
public sealed record CronError(string Message, string? Hint)
{
    /// <summary>
    /// Where in the expression (trimmed, 0-based) the wrong field starts: 2 for the hour of
    /// <c>0 25 * * *</c>; null when the expression as a whole is wrong (too few fields, an unknown shorthand).
    /// </summary>
    public int? Offset { get; init; }
}
