namespace Serval.Server.Triggers;

/// <summary>The last fire of one trigger, as stored: what the next fire is counted from after a restart.</summary>
/// <param name="Function">The function.</param>
/// <param name="Trigger">The trigger's index in the function's <c>triggers</c>.</param>
/// <param name="Scheduled">The scheduled time it fired for.</param>
/// <param name="Invocation">The invocation it submitted (empty when the submission was refused).</param>
/// <param name="Fired">When it was submitted.</param>
public sealed record TriggerFire(string Function, int Trigger, DateTimeOffset Scheduled, string Invocation, DateTimeOffset Fired);
