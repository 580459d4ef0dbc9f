namespace Serval.Core.Scheduling;

/// <summary>Why a cron expression was rejected: "cron '0 25 * * *': hour 25 is out of range 0-23", and how to fix it.</summary>
/// <param name="Message">What is wrong, naming the expression and the part of it.</param>
/// <param name="Hint">How to fix it, or null.</param>
public sealed record CronError(string Message, string? Hint);
