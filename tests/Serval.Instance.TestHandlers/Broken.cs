using Serval.Sdk;

namespace Serval.Instance.TestHandlers;

/// <summary>A handler whose constructor fails.</summary>
public sealed class FailingConstructor : IFunctionHandler
{
    public FailingConstructor(FunctionContext context) => throw new InvalidDataException($"{context.FunctionName} cannot start: settings.json is missing");

    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(FunctionResponse.Text("unreachable"));
}

/// <summary>A class that is not a handler.</summary>
public sealed class NotAHandler
{
}

/// <summary>A handler with a parameterless constructor, which the loader uses when there is no context one.</summary>
public sealed class Parameterless : IFunctionHandler
{
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(FunctionResponse.Text($"parameterless {context.FunctionName}"));
}
