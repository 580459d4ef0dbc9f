using Serval.Core.Wire;

namespace Serval.Core.Async;

/// <summary>Why a run of an asynchronous invocation failed, which decides how it is retried.</summary>
public enum ErrorClass
{
    /// <summary>The function failed: its handler threw, or it answered 4xx/5xx. Counts against <c>async.retries</c>.</summary>
    Function,

    /// <summary>The run passed the function's <c>timeout</c>. Counts against <c>async.retries</c>.</summary>
    Timeout,

    /// <summary>
    /// Capacity or the platform: too many waiting (429), no instance could start (503), the
    /// instance crashed, the platform stopped. Not the function's fault: retried until <c>async.maxAge</c>.
    /// </summary>
    System,
}

/// <summary>The one mapping from a failed run to its <see cref="ErrorClass"/>.</summary>
public static class ErrorClasses
{
    /// <summary>
    /// The class of a run that failed with <paramref name="kind"/>. A run that never reached an
    /// instance (<paramref name="ranOnInstance"/> false: it waited for a slot past its deadline, or
    /// was refused) is a capacity error whatever the kind; one that ran is the function's error,
    /// unless the instance itself failed or the run timed out.
    /// </summary>
    public static ErrorClass Of(ErrorKind kind, bool ranOnInstance) => kind switch
    {
        _ when !ranOnInstance => ErrorClass.System,
        ErrorKind.Timeout => ErrorClass.Timeout,
        ErrorKind.InstanceFailed or ErrorKind.Unavailable or ErrorKind.Overloaded => ErrorClass.System,
        _ => ErrorClass.Function,
    };

    /// <summary>The class of an answer with HTTP <paramref name="statusCode"/> from the function's own code; null for success (below 400).</summary>
    public static ErrorClass? OfStatus(int statusCode) => statusCode >= 400 ? ErrorClass.Function : null;

    /// <summary>The name shown in the status API: <c>function</c>, <c>timeout</c>, <c>system</c>.</summary>
    public static string Name(this ErrorClass errorClass) => errorClass switch
    {
        ErrorClass.Function => "function",
        ErrorClass.Timeout => "timeout",
        _ => "system",
    };
}
