namespace Serval.Sdk;

/// <summary>
/// What a <c>dotnet</c> function implements. One instance of the class serves every invocation of
/// an instance process, concurrently up to <c>instances.concurrency</c>: keep it thread-safe.
/// A public constructor taking a <see cref="FunctionContext"/> (or none) is used to create it.
/// </summary>
public interface IFunctionHandler
{
    /// <summary>Handles one invocation.</summary>
    ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken);
}
