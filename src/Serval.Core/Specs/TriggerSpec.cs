using Serval.Core.Scheduling;

namespace Serval.Core.Specs;

/// <summary>
/// One entry of <c>triggers</c>: at every time <see cref="Cron"/> fires (read in the spec's
/// <c>timezone</c>), the function is invoked asynchronously with <see cref="Payload"/> as a JSON body.
/// </summary>
/// <param name="Cron">When it fires.</param>
/// <param name="Payload">The body, as JSON text: the entry's <c>payload</c> (any YAML value) converted; <c>{}</c> when absent.</param>
public sealed record TriggerSpec(CronSchedule Cron, string Payload);
