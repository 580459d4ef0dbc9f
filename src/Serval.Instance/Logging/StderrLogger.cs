using Microsoft.Extensions.Logging;

namespace Serval.Instance.Logging;

/// <summary>
/// Writes one line per entry to stderr — <c>2025-01-02T03:04:05.678Z info hello-dotnet: message</c> —
/// which the node agent keeps with the instance. stdout carries only the ready line.
/// </summary>
internal sealed class StderrLogger(string category, TimeProvider time, LogLevel minimum = LogLevel.Information) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string line = $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {LevelName(logLevel)} {category}: {formatter(state, exception)}";
        if (exception is not null)
        {
            line += Environment.NewLine + exception;
        }

        // Console.Error is synchronised, so lines from concurrent invocations do not interleave.
        Console.Error.WriteLine(line);
    }

    /// <summary>The minimum level from <c>SERVAL_LOG_LEVEL</c> (trace, debug, information, warning, error), default information.</summary>
    public static LogLevel MinimumFromEnvironment() =>
        Enum.TryParse(Environment.GetEnvironmentVariable("SERVAL_LOG_LEVEL"), ignoreCase: true, out LogLevel level) ? level : LogLevel.Information;

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "crit",
    };
}
