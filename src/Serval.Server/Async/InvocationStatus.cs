namespace Serval.Server.Async;

/// <summary>Where an asynchronous invocation is. The numbers are what the store writes.</summary>
public enum InvocationStatus
{
    /// <summary>Accepted and waiting for its (next) run.</summary>
    Queued = 0,

    /// <summary>Claimed by a platform and running (or waiting for an instance slot).</summary>
    Running = 1,

    /// <summary>A run succeeded; its answer is the result.</summary>
    Succeeded = 2,

    /// <summary>Ended without success: retries spent, bad input, or the function is gone.</summary>
    Failed = 3,

    /// <summary>No run succeeded within <c>async.maxAge</c>.</summary>
    Expired = 4,

    /// <summary>Cancelled by request.</summary>
    Cancelled = 5,
}

/// <summary>Where a destination's record is.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending = 0,

    /// <summary>Delivered: the webhook answered 2xx, or the function's invocation was accepted.</summary>
    Delivered = 1,

    /// <summary>Given up (attempts spent, the function is gone, the chain too deep).</summary>
    Failed = 2,
}

/// <summary>Names and parsing of the statuses.</summary>
public static class InvocationStatuses
{
    /// <summary>True for Succeeded, Failed, Expired and Cancelled.</summary>
    public static bool IsFinal(this InvocationStatus status) => status >= InvocationStatus.Succeeded;

    /// <summary>Parses a status name, ignoring case; null when it is none.</summary>
    public static InvocationStatus? Parse(string text) =>
        Enum.TryParse(text, ignoreCase: true, out InvocationStatus status) && Enum.IsDefined(status) && !int.TryParse(text, out _) ? status : null;
}
