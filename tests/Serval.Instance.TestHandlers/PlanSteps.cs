using System.Text;
using System.Text.Json;
using Serval.Sdk;

namespace Serval.Instance.TestHandlers;

/// <summary>A plan's first step: the body "a,b,c" becomes the items a, b, c (an empty body: none), with the count as metadata.</summary>
public sealed class Split : IFunctionHandler
{
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        string text = Encoding.UTF8.GetString(request.Body.Span);
        if (text == "bad")
        {
            return ValueTask.FromResult(FunctionResponse.BadRequest("'bad' is not a list"));
        }

        var items = text.Length == 0 ? [] : text.Split(',').Select(s => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(s)).ToList();
        return ValueTask.FromResult(FunctionResponse.Items(Encoding.UTF8.GetBytes($"{{\"count\":{items.Count}}}"), items));
    }
}

/// <summary>
/// A mapped step: an item in upper case. Items "fail" answer 500, "throw" throw, "sleep:N" wait N ms
/// first (honouring cancellation), "rand:N" wait a random 0..N ms (so items finish out of order).
/// </summary>
public sealed class Shout : IFunctionHandler
{
    public async ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        string item = Encoding.UTF8.GetString(request.Body.Span);
        if (item.StartsWith("sleep:", StringComparison.Ordinal))
        {
            await Task.Delay(int.Parse(item[6..], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (item.StartsWith("rand:", StringComparison.Ordinal))
        {
            await Task.Delay(Random.Shared.Next(int.Parse(item[5..], System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        }

        return item switch
        {
            "fail" => FunctionResponse.Json(new { error = "item 'fail' cannot be shouted" }, 500),
            "throw" => throw new InvalidOperationException("the item threw"),
            _ => FunctionResponse.Text(item.ToUpperInvariant() + "!"),
        };
    }
}

/// <summary>A plan's last step: the gathered list as JSON {meta, items, errors, step} (the step header it was called with).</summary>
public sealed class Join : IFunctionHandler
{
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        if (!ItemList.IsItemList(request.ContentType))
        {
            return ValueTask.FromResult(FunctionResponse.BadRequest($"expected an item list, got '{request.ContentType}'"));
        }

        ItemList list = ItemList.Parse(request.Body);
        var items = new List<string?>();
        var errors = new List<string?>();
        for (int i = 0; i < list.Count; i++)
        {
            items.Add(list.Error(i) is null ? Encoding.UTF8.GetString(list[i].Span) : null);
            errors.Add(list.Error(i));
        }

        return ValueTask.FromResult(FunctionResponse.Json(new
        {
            meta = JsonDocument.Parse(list.Meta).RootElement,
            items,
            errors,
            step = request.Headers.GetValueOrDefault("x-serval-step"),
            route = request.Route,
        }));
    }
}

/// <summary>
/// A batching handler: each answer is "body|batch=N|width=W" (N the batch's size, W the widest body
/// in it); the width of a request is its body's length. Alone (no batching) the batch is 1.
/// </summary>
public sealed class BatchEcho : IBatchFunctionHandler
{
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(FunctionResponse.Text($"{Encoding.UTF8.GetString(request.Body.Span)}|batch=1|width={request.Body.Length}"));

    public async ValueTask<IReadOnlyList<FunctionResponse>> HandleBatchAsync(IReadOnlyList<FunctionRequest> requests, FunctionContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(20, cancellationToken);
        int width = requests.Max(r => r.Body.Length);
        return requests.Select(r => FunctionResponse.Text($"{Encoding.UTF8.GetString(r.Body.Span)}|batch={requests.Count}|width={width}")).ToList();
    }

    public int BatchWidth(FunctionRequest request) => request.Body.Length;
}
