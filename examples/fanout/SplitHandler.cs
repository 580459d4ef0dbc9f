using System.Globalization;
using System.Text.Json;
using Serval.Imaging;
using Serval.Ocr.Cropping;
using Serval.Sdk;

namespace Serval.Examples.Fanout;

/// <summary>
/// The plan's first step: the page (PNG, JPEG or WebP bytes as the body) → overlapping strips the width of
/// the page (<see cref="PageChunks"/>), each an item of the answer's list (<see cref="CropCodec"/>),
/// with their places as metadata. <c>FANOUT_CHUNK</c> (default 1000 rows) and <c>FANOUT_OVERLAP</c>
/// (default 120) in the function's <c>env</c> set the cut.
/// </summary>
public sealed class SplitHandler : IFunctionHandler
{
    private readonly int _chunk = Setting("FANOUT_CHUNK", 1000);
    private readonly int _overlap = Setting("FANOUT_OVERLAP", 120);

    /// <inheritdoc/>
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        RgbImage page;
        try
        {
            page = ImageDecoder.Decode(request.Body.Span);
        }
        catch (ImageFormatException e)
        {
            return ValueTask.FromResult(FunctionResponse.BadRequest($"the body is not a page to split: {e.Message} (send the PNG, JPEG or WebP bytes as the body)"));
        }

        List<Chunk> chunks = PageChunks.Cut(page.Height, _chunk, _overlap);
        var items = new ReadOnlyMemory<byte>[chunks.Count];
        int rowBytes = page.Width * 3;
        for (int i = 0; i < chunks.Count; i++)
        {
            items[i] = CropCodec.Encode(page.Width, chunks[i].Height, page.Pixels.AsSpan(chunks[i].Top * rowBytes, chunks[i].Height * rowBytes));
        }

        byte[] meta = JsonSerializer.SerializeToUtf8Bytes(new PageMeta(page.Width, page.Height, chunks), JsonSerializerOptions.Web);
        return ValueTask.FromResult(FunctionResponse.Items(meta, items));
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
