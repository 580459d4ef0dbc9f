using System.Text.Json;
using Serval.Sdk;

namespace Serval.Examples.Fanout;

/// <summary>The last step: the merged page → counts (<see cref="PageSummary"/>), the job's result.</summary>
public sealed class SummaryHandler : IFunctionHandler
{
    /// <inheritdoc/>
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        MergedPage? page;
        try
        {
            page = JsonSerializer.Deserialize<MergedPage>(request.Body.Span, JsonSerializerOptions.Web);
        }
        catch (JsonException e)
        {
            return ValueTask.FromResult(FunctionResponse.BadRequest($"expected the merged page as JSON: {e.Message}"));
        }

        return page is null
            ? ValueTask.FromResult(FunctionResponse.BadRequest("expected the merged page as JSON, got null"))
            : ValueTask.FromResult(FunctionResponse.Json(PageSummary.Of(page)));
    }
}

/// <summary>One band of the page: its rows, the lines whose centre is in it, and the share of it that is text.</summary>
/// <param name="Top">The band's first row.</param>
/// <param name="Bottom">The row after its last.</param>
/// <param name="Lines">Lines centred in it.</param>
/// <param name="Density">Their boxes' area over the band's.</param>
public sealed record Band(int Top, int Bottom, int Lines, double Density);

/// <summary>What the job answers: lines, text area, line height and density band by band.</summary>
/// <param name="Width">The page's width.</param>
/// <param name="Height">The page's height.</param>
/// <param name="Chunks">How many chunks it was cut into.</param>
/// <param name="Lines">The text lines found.</param>
/// <param name="TextArea">The lines' boxes' area in pixels.</param>
/// <param name="TextShare">That area over the page's.</param>
/// <param name="MeanLineHeight">The boxes' mean height in pixels.</param>
/// <param name="Dropped">Boxes the merge dropped: halves of lines cut at a strip's edge and second copies of lines two strips saw.</param>
/// <param name="Bands">Density by band of <see cref="PageSummary.BandRows"/> rows.</param>
public sealed record PageSummary(int Width, int Height, int Chunks, int Lines, long TextArea, double TextShare, double MeanLineHeight, int Dropped, IReadOnlyList<Band> Bands)
{
    /// <summary>Rows per band (1000: eight bands on the example's page).</summary>
    public const int BandRows = 1000;

    /// <summary>The summary of <paramref name="page"/>.</summary>
    public static PageSummary Of(MergedPage page)
    {
        IReadOnlyList<int[]> boxes = page.Merged.Boxes;
        int bandCount = Math.Max(1, (page.Height + BandRows - 1) / BandRows);
        var lines = new int[bandCount];
        var areas = new long[bandCount];
        long area = 0, heights = 0;
        foreach (int[] box in boxes)
        {
            long a = (long)box[2] * box[3];
            int band = Math.Clamp((box[1] + box[3] / 2) / BandRows, 0, bandCount - 1);
            lines[band]++;
            areas[band] += a;
            area += a;
            heights += box[3];
        }

        var bands = new Band[bandCount];
        for (int b = 0; b < bandCount; b++)
        {
            int top = b * BandRows, bottom = Math.Min(page.Height, top + BandRows);
            bands[b] = new Band(top, bottom, lines[b], Math.Round((double)areas[b] / ((long)(bottom - top) * page.Width), 4));
        }

        return new PageSummary(page.Width, page.Height, page.Chunks, boxes.Count, area,
            Math.Round((double)area / ((long)page.Width * page.Height), 4),
            boxes.Count == 0 ? 0 : Math.Round((double)heights / boxes.Count, 1),
            page.Merged.NotOwned + page.Merged.Duplicates, bands);
    }
}
