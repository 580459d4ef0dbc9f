using Microsoft.Extensions.Logging;

namespace Serval.Instance.Logging;

/// <summary>The instance host's own log lines.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "listening on {SocketPath}")]
    public static partial void Listening(ILogger logger, string socketPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "connection {Connection} opened")]
    public static partial void ConnectionOpened(ILogger logger, int connection);

    [LoggerMessage(Level = LogLevel.Information, Message = "connection {Connection} closed")]
    public static partial void ConnectionClosed(ILogger logger, int connection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "connection {Connection}: {Problem}; closing it")]
    public static partial void ProtocolError(ILogger logger, int connection, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping ({Reason}); {InFlight} invocation(s) in flight")]
    public static partial void Stopping(ILogger logger, string reason, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{InFlight} invocation(s) still running after {Seconds} s; cancelling them")]
    public static partial void DrainTimedOut(ILogger logger, int inFlight, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "warm-up of '{Model}' failed (the first invocation will pay for it): {Problem}")]
    public static partial void WarmupFailed(ILogger logger, string model, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cached optimised graph '{Path}' cannot be loaded, using the original model: {Problem}")]
    public static partial void GraphCacheUnusable(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot store the optimised graph at '{Path}': {Problem}")]
    public static partial void GraphCacheNotStored(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "pooled on {SocketPath} after {Milliseconds} ms; waiting for an assignment")]
    public static partial void Pooled(ILogger logger, string socketPath, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "assigned {Function} v{Version} as instance {InstanceId}")]
    public static partial void Assigned(ILogger logger, string function, int version, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rehearsal skipped (the first assignment pays for the JIT and ONNX Runtime's start): {Problem}")]
    public static partial void RehearsalFailed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "invocation {Id} failed")]
    public static partial void InvocationFailed(ILogger logger, ulong id, Exception exception);
}
