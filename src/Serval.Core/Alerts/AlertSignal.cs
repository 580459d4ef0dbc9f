namespace Serval.Core.Alerts;

/// <summary>What an alert rule watches, each measured per function over the rule's window.</summary>
public enum AlertSignal
{
    /// <summary><c>error_rate</c>: the share of invocations answered with a 5xx code (0.05 = 5 %).</summary>
    ErrorRate,

    /// <summary><c>p99</c>: the 99th percentile of request time (queue plus compute), seconds.</summary>
    P99,

    /// <summary><c>queue_age</c>: the age of the oldest queued asynchronous invocation now, seconds (the window does not apply).</summary>
    QueueAge,

    /// <summary><c>cold_start_rate</c>: the share of invocations that waited for an instance to start.</summary>
    ColdStartRate,

    /// <summary><c>async_failures</c>: asynchronous invocations that ended <c>Failed</c> or <c>Expired</c> within the window.</summary>
    AsyncFailures,
}

/// <summary>The names signals are written with in the configuration and the API.</summary>
public static class AlertSignals
{
    /// <summary>Every signal's name, for hints.</summary>
    public const string Names = "error_rate, p99, queue_age, cold_start_rate, async_failures";

    /// <summary>The name of <paramref name="signal"/>: <c>error_rate</c>.</summary>
    public static string Name(this AlertSignal signal) => signal switch
    {
        AlertSignal.ErrorRate => "error_rate",
        AlertSignal.P99 => "p99",
        AlertSignal.QueueAge => "queue_age",
        AlertSignal.ColdStartRate => "cold_start_rate",
        _ => "async_failures",
    };

    /// <summary>The signal named <paramref name="name"/>, or null.</summary>
    public static AlertSignal? Parse(string name) => name switch
    {
        "error_rate" => AlertSignal.ErrorRate,
        "p99" => AlertSignal.P99,
        "queue_age" => AlertSignal.QueueAge,
        "cold_start_rate" => AlertSignal.ColdStartRate,
        "async_failures" => AlertSignal.AsyncFailures,
        _ => null,
    };

    /// <summary>True for the signals measured over invocations, where a rule's <c>min_requests</c> applies.</summary>
    public static bool PerRequest(this AlertSignal signal) => signal is AlertSignal.ErrorRate or AlertSignal.P99 or AlertSignal.ColdStartRate;
}
