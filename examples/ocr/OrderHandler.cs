using System.Text.Json;
using Serval.Ocr;
using Serval.Ocr.Layout;
using Serval.Sdk;

namespace Serval.Examples.Ocr;

/// <summary>
/// The plan's last step: the gathered texts with the detect step's boxes → the lines in reading
/// order, as the <c>/predict</c> answer: <c>{"code": 0, "request_id", "data": {"msg": {}, "ndarray":
/// [{"confidence", "rect": [x, y, w, h], "res"}]}}</c>. Lines below <c>OCR_MIN_CONFIDENCE</c>
/// (default 0.5) or with no text are left out; a picture with no text answers an empty ndarray.
/// </summary>
public sealed class OrderHandler : IFunctionHandler
{
    private readonly float _minConfidence = float.TryParse(Environment.GetEnvironmentVariable("OCR_MIN_CONFIDENCE"), System.Globalization.CultureInfo.InvariantCulture, out float c) ? c : 0.5f;

    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        if (!ItemList.IsItemList(request.ContentType))
        {
            return ValueTask.FromResult(FunctionResponse.BadRequest($"ocr-order takes the gathered item list of the plan 'ocr', not '{request.ContentType}'"));
        }

        ItemList list = ItemList.Parse(request.Body);
        DetectMeta meta = JsonSerializer.Deserialize<DetectMeta>(list.Meta.Span, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("the item list carries no detect metadata");
        if (meta.Boxes.Count != list.Count)
        {
            throw new InvalidOperationException($"{meta.Boxes.Count} boxes but {list.Count} texts");
        }

        var lines = new List<OcrLine>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            if (list.Error(i) is not null)
            {
                continue;
            }

            LineText text = JsonSerializer.Deserialize<LineText>(list[i].Span, JsonSerializerOptions.Web)!;
            int[] r = meta.Boxes[i];
            if (text.Text.Length > 0 && text.Confidence >= _minConfidence)
            {
                lines.Add(new OcrLine(text.Text, text.Confidence, r[0], r[1], r[2], r[3]));
            }
        }

        string requestId = request.Headers.GetValueOrDefault("x-serval-request") ?? request.RequestId;
        var answer = new
        {
            code = 0,
            request_id = requestId,
            data = new
            {
                msg = new { },
                ndarray = ReadingOrder.Sort(lines).Select(l => new { confidence = MathF.Round(l.Confidence, 4), rect = new[] { l.X, l.Y, l.Width, l.Height }, res = l.Text }),
            },
        };
        return ValueTask.FromResult(FunctionResponse.Bytes(JsonSerializer.SerializeToUtf8Bytes(answer, Json), "application/json"));
    }

    // Names as written (request_id), and Chinese text readable rather than \u-escaped.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
