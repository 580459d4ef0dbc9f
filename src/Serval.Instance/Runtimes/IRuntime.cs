using Serval.Core.Wire;

namespace Serval.Instance.Runtimes;

/// <summary>How an instance runs its function: the seam between the socket host and <c>onnx</c> / <c>dotnet</c>.</summary>
internal interface IRuntime : IDisposable
{
    /// <summary>The served model's inputs for the ready report (empty where the runtime takes raw requests).</summary>
    IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>The served model's outputs for the ready report.</summary>
    IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Runs every model once so the first invocation does not pay for lazy initialisation.</summary>
    void WarmUp();

    /// <summary>
    /// Runs one invocation and returns its answer frame: a Result, or an Error for failures that are
    /// the request's or the function's (errors are values). Throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> stops it; the caller turns that into its error.
    /// </summary>
    ValueTask<WireWriter> InvokeAsync(ulong id, InvokeOperation operation, InvokeRequest request, CancellationToken cancellationToken);
}
