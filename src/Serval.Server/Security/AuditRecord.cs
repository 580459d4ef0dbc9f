namespace Serval.Server.Security;

/// <summary>One control-plane action, or a refusal of one.</summary>
/// <param name="Seq">Its place in the log (ascending).</param>
/// <param name="At">When it was answered.</param>
/// <param name="Key">The id of the key that asked; null with auth off or without a valid key.</param>
/// <param name="Action">What was asked: <c>deploy</c>, <c>delete</c>, <c>key.create</c>, <c>key.delete</c>, or <c>METHOD /path</c> for a refused read.</param>
/// <param name="Target">The function or key it was about (empty when none).</param>
/// <param name="Status">The HTTP status of the answer.</param>
/// <param name="Outcome"><c>ok</c>, <c>refused: why</c> (401/403/429) or <c>failed</c> (another error).</param>
public sealed record AuditRecord(long Seq, DateTimeOffset At, string? Key, string Action, string Target, int Status, string Outcome);
