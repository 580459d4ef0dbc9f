using System.Text.Json;
using Serval.Imaging;
using Serval.Ocr;
using Serval.Ocr.Cropping;
using Serval.Ocr.Recognition;
using Serval.Onnx;
using Serval.Sdk;

namespace Serval.Examples.Ocr;

/// <summary>
/// The plan's mapped step: one text-line crop → its text (PP-OCRv4 rec, CTC greedy decoding over
/// <c>ppocr_keys_v1.txt</c>). With <c>batching</c>, the crops of concurrent requests and of one
/// request's many boxes run as one batch, padded to a common width (each crop's width is its
/// height-48 width, so the batcher groups crops of similar width).
/// </summary>
public sealed class RecognizeHandler(FunctionContext context) : IBatchFunctionHandler
{
    private readonly InferenceSession _rec = context.Models["rec"];
    private readonly CtcDecoder _decoder = CtcDecoder.Load(Path.Combine(context.PackageDirectory, OcrEngine.KeysFile));

    private static readonly OcrOptions Options = new();

    public async ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        (await HandleBatchAsync([request], context, cancellationToken))[0];

    public ValueTask<IReadOnlyList<FunctionResponse>> HandleBatchAsync(IReadOnlyList<FunctionRequest> requests, FunctionContext context, CancellationToken cancellationToken)
    {
        var answers = new FunctionResponse[requests.Count];
        var crops = new List<RgbImage>(requests.Count);
        var slots = new List<int>(requests.Count);
        for (int i = 0; i < requests.Count; i++)
        {
            try
            {
                crops.Add(CropCodec.Decode(requests[i].Body.Span));
                slots.Add(i);
            }
            catch (FormatException e)
            {
                answers[i] = FunctionResponse.BadRequest($"not a crop: {e.Message}");
            }
        }

        if (crops.Count > 0)
        {
            RecognizedText[] texts = OcrSteps.Recognize(_rec, _decoder, crops, Options, cancellationToken);
            for (int i = 0; i < slots.Count; i++)
            {
                answers[slots[i]] = FunctionResponse.Bytes(JsonSerializer.SerializeToUtf8Bytes(new LineText(texts[i].Text, texts[i].Confidence), JsonSerializerOptions.Web), "application/json");
            }
        }

        return ValueTask.FromResult<IReadOnlyList<FunctionResponse>>(answers);
    }

    /// <summary>The crop's width once resized to height 48: what its batch is padded to.</summary>
    public int BatchWidth(FunctionRequest request)
    {
        // A body that is not a crop is answered 400 by the batch; its width does not matter.
        return CropCodec.TryReadSize(request.Body.Span, out int width, out int height)
            ? Math.Max(RecPreprocess.DefaultMinWidth, RecPreprocess.WidthOf(width, height))
            : RecPreprocess.DefaultMinWidth;
    }
}

/// <summary>One recognised line as the recognise step answers it.</summary>
public sealed record LineText(string Text, float Confidence);
