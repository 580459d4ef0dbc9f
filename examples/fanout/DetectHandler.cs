using System.Runtime.InteropServices;
using Serval.Ocr.Cropping;
using Serval.Ocr.Detection;
using Serval.Ocr.Geometry;
using Serval.Onnx;
using Serval.Sdk;

namespace Serval.Examples.Fanout;

/// <summary>The mapped step: one strip → its text boxes (PP-OCRv4 det, DB post-processing) as [x, y, w, h] in the strip's pixels.</summary>
public sealed class DetectHandler(FunctionContext context) : IFunctionHandler
{
    private readonly InferenceSession _det = context.Models["det"];

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

        DetInput input = DetPreprocess.Run(strip);
        List<Quad> boxes;
        using (SessionOutputs outputs = _det.RunRaw([new NamedTensor(_det.Inputs[0].Name, input.Tensor)], cancellationToken))
        {
            boxes = DbPostprocess.Run(MemoryMarshal.Cast<byte, float>(outputs.Data(0)), input);
        }

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
