using System.Text.Json.Serialization;

namespace Serval.Server.Monitoring.Logs;

/// <summary>
/// One line of a function's log: an invocation's record (<c>kind: invocation</c>, one per answered
/// call) or a line its handler wrote (<c>kind: log</c>). Fields that do not apply are left out of the JSON.
/// </summary>
public sealed record LogRecord
{
    /// <summary>Its position in the log: increasing, so a reader asks for what came after the last one it saw.</summary>
    public long Seq { get; init; }

    /// <summary>When it was written (an invocation: when it was answered).</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary><c>invocation</c> or <c>log</c>.</summary>
    public string Kind { get; init; } = "invocation";

    /// <summary>The function (for a plan's call, the plan).</summary>
    public string Function { get; init; } = "";

    /// <summary>Its version.</summary>
    public int Version { get; init; }

    /// <summary>The instance that ran it or wrote the line ("" when none could run it).</summary>
    public string Instance { get; init; } = "";

    /// <summary>The node the instance ran on.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Node { get; init; }

    /// <summary>The invocation's id (the request id, <c>X-Request-Id</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    /// <summary>When the invocation was dispatched.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Start { get; init; }

    /// <summary>Time in the instance, milliseconds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DurationMs { get; init; }

    /// <summary>Billed time: the duration in whole milliseconds, rounded up.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BilledMs { get; init; }

    /// <summary>The instance's resident memory when it answered, MiB.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MemoryMb { get; init; }

    /// <summary>Whether it waited for an instance to start.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Cold { get; init; }

    /// <summary>The status code answered.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Status { get; init; }

    /// <summary>The error's message, for a failed invocation.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    /// <summary>The line the handler wrote (<c>kind: log</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Line { get; init; }
}
