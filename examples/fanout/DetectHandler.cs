using Serval.Ocr;
using Serval.Ocr.Cropping;
using Serval.Ocr.Geometry;
using Serval.Onnx;
using Serval.Sdk;

namespace Serval.Examples.Fanout;

/// <summary>The mapped step: one strip → its text boxes (PP-OCRv4 det, DB post-processing) as [x, y, w, h] in the strip's pixels.</summary>
public sealed class DetectHandler(FunctionContext context) : IFunctionHandler
{
    private readonly InferenceSession _det = context.Models["det"];

    private static readonly OcrOptions Options = new();

    /// <inheritdoc/>
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        Serval.Imaging.RgbImage strip;
        try
        {
            strip = CropCodec.Decode(request.Body.Span);
        }
        catch (FormatException e)
        {
            return ValueTask.FromResult(FunctionResponse.BadRequest($"the item is not a strip of the page: {e.Message}"));
        }

        List<Quad> boxes = OcrSteps.DetectBoxes(_det, strip, Options, cancellationToken);

        var rects = new int[boxes.Count][];
        for (int i = 0; i < rects.Length; i++)
        {
            var (x, y, w, h) = boxes[i].Bounds();
            rects[i] = [x, y, w, h];
        }

        return ValueTask.FromResult(FunctionResponse.Json(new StripBoxes(rects)));
    }
}

/// <summary>The boxes found in one strip, each [x, y, w, h].</summary>
/// <param name="Boxes">The boxes.</param>
public sealed record StripBoxes(IReadOnlyList<int[]> Boxes);
