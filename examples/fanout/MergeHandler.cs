using System.Text.Json;
using Serval.Sdk;

namespace Serval.Examples.Fanout;

/// <summary>
/// The step after the map: the gathered list (each strip's boxes, in the strips' order, the split's
/// <see cref="PageMeta"/> carried through) → the page's boxes, de-duplicated (<see cref="BoxMerge"/>).
/// </summary>
public sealed class MergeHandler : IFunctionHandler
{
    /// <inheritdoc/>
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        if (!ItemList.IsItemList(request.ContentType))
        {
            return ValueTask.FromResult(FunctionResponse.BadRequest($"expected the gathered strips (an item list), got '{request.ContentType}'"));
        }

        ItemList list = ItemList.Parse(request.Body);
        PageMeta? page = JsonSerializer.Deserialize<PageMeta>(list.Meta.Span, JsonSerializerOptions.Web);
        if (page is null || page.Chunks.Count != list.Count)
        {
            return ValueTask.FromResult(FunctionResponse.BadRequest($"the list's metadata names {page?.Chunks.Count ?? 0} chunks for {list.Count} items"));
        }

        var perChunk = new IReadOnlyList<int[]>[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            if (list.Error(i) is { } error)
            {
                return ValueTask.FromResult(FunctionResponse.BadRequest($"chunk {i} was not detected: {error}"));
            }

            perChunk[i] = JsonSerializer.Deserialize<StripBoxes>(list[i].Span, JsonSerializerOptions.Web)?.Boxes ?? [];
        }

        MergedBoxes merged = BoxMerge.Merge(page.Chunks, perChunk);
        return ValueTask.FromResult(FunctionResponse.Json(new MergedPage(page.Width, page.Height, page.Chunks.Count, merged)));
    }
}

/// <summary>The merge's answer: the page, how many chunks it was cut into, and its boxes.</summary>
/// <param name="Width">The page's width.</param>
/// <param name="Height">The page's height.</param>
/// <param name="Chunks">How many chunks.</param>
/// <param name="Merged">The boxes and what was dropped.</param>
public sealed record MergedPage(int Width, int Height, int Chunks, MergedBoxes Merged);
