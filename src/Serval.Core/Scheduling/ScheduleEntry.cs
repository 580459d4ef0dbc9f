namespace Serval.Core.Scheduling;

/// <summary>One entry of <c>schedule</c>: from each time <paramref name="Cron"/> fires, keep <paramref name="Min"/> instances ready.</summary>
/// <param name="Cron">When the entry takes effect.</param>
/// <param name="Min">The minimum from then on, until another entry fires.</param>
public sealed record ScheduleEntry(CronSchedule Cron, int Min)
{
    /// <summary><c>{ cron: "0 8 * * *", min: 4 }</c>.</summary>
    public override string ToString() => $"{{ cron: \"{Cron.Text}\", min: {Min} }}";
}
