using Serval.Sdk;

namespace Serval.Instance.TestHandlers;

/// <summary>
/// A function whose versions differ by their <c>env</c> alone: it waits <c>SLEEP_MS</c>
/// milliseconds (default 0), then answers <c>TAG</c> (default "ok"), or fails when <c>MODE</c> is
/// <c>fail</c>. The gateway's <c>X-Serval-Version</c> says which version answered.
/// </summary>
public sealed class Versioned : IFunctionHandler
{
    private readonly int _sleepMs = int.TryParse(Environment.GetEnvironmentVariable("SLEEP_MS"), out int ms) ? ms : 0;
    private readonly bool _fail = Environment.GetEnvironmentVariable("MODE") == "fail";
    private readonly string _tag = Environment.GetEnvironmentVariable("TAG") ?? "ok";

    public async ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        if (_sleepMs > 0)
        {
            await Task.Delay(_sleepMs, cancellationToken);
        }

        if (_fail)
        {
            throw new InvalidOperationException($"{_tag}: this version fails on purpose");
        }

        return FunctionResponse.Text(_tag);
    }
}
