using System.Globalization;
using Microsoft.Extensions.Logging;
using Serval.Core.Batching;
using Serval.Core.Wire;
using Serval.Instance.Batching;
using Serval.Instance.Loading;
using Serval.Instance.Logging;
using Serval.Onnx;
using Serval.Sdk;

namespace Serval.Instance.Runtimes;

/// <summary>
/// The <c>dotnet</c> runtime: a user's <see cref="IFunctionHandler"/> with the ONNX sessions its spec
/// declares. Raw requests in, raw responses out; a handler's exception is the function's error.
/// </summary>
internal sealed class DotnetRuntime : IRuntime
{
    /// <summary>The header carrying the platform's request id (the node agent sends it on raw invocations).</summary>
    public const string RequestIdHeader = "x-request-id";

    private readonly FunctionContext _context;
    private readonly IFunctionHandler _handler;
    private readonly Dictionary<string, InferenceSession> _sessions;
    private readonly ILogger _logger;
    private readonly RequestBatcher<FunctionRequest, FunctionResponse>? _batcher;
    private readonly IBatchFunctionHandler? _batchHandler;

    private DotnetRuntime(FunctionContext context, IFunctionHandler handler, Dictionary<string, InferenceSession> sessions, ILogger logger, BatchingOptions? batching)
    {
        _context = context;
        _handler = handler;
        _sessions = sessions;
        _logger = logger;
        if (batching is not null)
        {
            var batchHandler = (IBatchFunctionHandler)handler;
            _batchHandler = batchHandler;
            _batcher = new RequestBatcher<FunctionRequest, FunctionResponse>(batching, TimeProvider.System,
                (requests, _, cancellationToken) => batchHandler.HandleBatchAsync(requests, context, cancellationToken).AsTask());
        }
    }

    public IReadOnlyList<TensorInfo> Inputs => [];

    public IReadOnlyList<TensorInfo> Outputs => [];

    /// <summary>Loads the config's models, then the handler from the package.</summary>
    /// <exception cref="InstanceLoadException">A model or the handler cannot be loaded.</exception>
    public static DotnetRuntime Load(InstanceConfig config, ILogger hostLogger, ILogger functionLogger)
    {
        var sessions = new Dictionary<string, InferenceSession>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, file) in config.Models)
            {
                sessions[name] = SessionLoader.Load(config, file, hostLogger);
            }

            var context = new FunctionContext(config.Function, config.Version, functionLogger, sessions, config.PackageDirectory);
            IFunctionHandler handler = HandlerLoader.Create(config.PackageDirectory, config.Handler, context);
            if (config.Batching is not null && handler is not IBatchFunctionHandler)
            {
                (handler as IDisposable)?.Dispose();
                throw new InstanceLoadException(
                    $"the spec asks for batching, but {handler.GetType().FullName} does not implement {typeof(IBatchFunctionHandler).FullName}: implement HandleBatchAsync, or remove 'batching'");
            }

            return new DotnetRuntime(context, handler, sessions, hostLogger, config.Batching);
        }
        catch
        {
            DisposeAll(sessions);
            throw;
        }
    }

    public void WarmUp()
    {
        foreach (var (name, session) in _sessions)
        {
            try
            {
                Warmup.Run(session);
            }
            catch (OrtException e)
            {
                // The guessed warm-up shape may not suit every model; the function can still serve.
                Log.WarmupFailed(_logger, name, e.Message);
            }
        }
    }

    public async ValueTask<WireWriter> InvokeAsync(ulong id, InvokeOperation operation, InvokeRequest request, CancellationToken cancellationToken)
    {
        if (request is not RawRequest raw)
        {
            string name = _context.FunctionName;
            return Error(id, ErrorKind.BadInput, $"function '{name}' takes raw requests, not tensors; use /fn/{name} or /fn/{name}/predict");
        }

        var headers = new Dictionary<string, string>(raw.Headers.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in raw.Headers)
        {
            headers[key] = value;
        }

        string requestId = headers.TryGetValue(RequestIdHeader, out string? header) ? header : id.ToString(CultureInfo.InvariantCulture);
        var functionRequest = new FunctionRequest(requestId, raw.Route, raw.ContentType, headers, raw.Body);
        FunctionResponse? response;
        try
        {
            response = _batcher is null
                ? await _handler.HandleAsync(functionRequest, _context, cancellationToken).ConfigureAwait(false)
                : await _batcher.EnqueueAsync(functionRequest, _batchHandler!.BatchWidth(functionRequest), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Log.InvocationFailed(_logger, id, e);
            return Error(id, ErrorKind.FunctionError, $"{e.GetType().FullName}: {e.Message}");
        }

        if (response is null)
        {
            return Error(id, ErrorKind.FunctionError, $"the handler of '{_context.FunctionName}' returned no response");
        }

        return WireCodec.EncodeRawResult(id, new RawResponse(response.StatusCode, response.ContentType, response.Body));
    }

    public void Dispose()
    {
        _batcher?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        (_handler as IDisposable)?.Dispose();
        DisposeAll(_sessions);
    }

    private static WireWriter Error(ulong id, ErrorKind kind, string message) => WireCodec.EncodeError(id, new InvokeError(kind, message));

    private static void DisposeAll(Dictionary<string, InferenceSession> sessions)
    {
        foreach (InferenceSession session in sessions.Values)
        {
            session.Dispose();
        }
    }
}
