namespace Serval.Core.Scheduling;

/// <summary>
/// A validated standard 5-field cron expression (minute hour day-of-month month day-of-week, or a
/// shorthand like <c>@daily</c>) and its translation to Quartz; see <see cref="In"/> to evaluate it.
/// Two schedules are equal when their text is.
/// </summary>
public sealed class CronSchedule : IEquatable<CronSchedule>
{
    internal CronSchedule(string text, IReadOnlyList<string> quartzExpressions)
    {
        Text = text;
        QuartzExpressions = quartzExpressions;
    }

    /// <summary>The expression as written, trimmed: <c>0 8 * * 1-5</c>.</summary>
    public string Text { get; }

    /// <summary>
    /// The Quartz expressions it fires on, together: one (<c>0 0 8 ? * 2,3,4,5,6</c>), or two when
    /// both day fields are restricted and a day matching either fires, as in cron.
    /// </summary>
    public IReadOnlyList<string> QuartzExpressions { get; }

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="error"/> naming the part that is wrong.</summary>
    public static CronSchedule? Parse(string text, out CronError? error) => CronParser.Parse(text, out error);

    /// <summary>Parses text already validated (a stored spec); throws <see cref="FormatException"/> otherwise.</summary>
    public static CronSchedule Parse(string text) =>
        CronParser.Parse(text, out var error) ?? throw new FormatException(error!.Message);

    /// <summary>This schedule read in <paramref name="zone"/>'s wall-clock time.</summary>
    public ZonedCron In(TimeZoneInfo zone) => new(this, zone);

    /// <inheritdoc/>
    public bool Equals(CronSchedule? other) => other is not null && Text == other.Text;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CronSchedule);

    /// <inheritdoc/>
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    /// <summary>The text as written.</summary>
    public override string ToString() => Text;
}
