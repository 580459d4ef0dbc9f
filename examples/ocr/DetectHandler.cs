using System.Text.Json;
using Serval.Imaging;
using Serval.Ocr;
using Serval.Ocr.Cropping;
using Serval.Onnx;
using Serval.Sdk;

namespace Serval.Examples.Ocr;

/// <summary>
/// The plan's first step: the picture of a <c>/predict</c> request → the text boxes (PP-OCRv4 det,
/// DB post-processing), each cropped upright with a perspective warp and turned by the angle
/// classifier when it reads upside down. Answers an item list: one crop per box, and the boxes'
/// rectangles as metadata, for the recognise step to map over and the order step to place.
/// </summary>
public sealed class DetectHandler(FunctionContext context) : IFunctionHandler
{
    private readonly InferenceSession _det = context.Models["det"];
    private readonly InferenceSession? _cls = context.Models.GetValueOrDefault("cls");
    private readonly ImageInput _input = new(Environment.GetEnvironmentVariable);

    private static readonly OcrOptions Options = new();

    public async ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        RgbImage image;
        try
        {
            image = await _input.ReadAsync(request.Body, cancellationToken);
        }
        catch (BadImageException e)
        {
            return FunctionResponse.BadRequest(e.Message);
        }

        DetectedBoxes detected = OcrSteps.Detect(_det, _cls, image, Options, cancellationToken);
        var meta = new DetectMeta(image.Width, image.Height, detected.Boxes.Select(b => Rect(b.Bounds())).ToList());
        var items = detected.Crops.Select(c => (ReadOnlyMemory<byte>)CropCodec.Encode(c)).ToList();
        return FunctionResponse.Items(JsonSerializer.SerializeToUtf8Bytes(meta, JsonSerializerOptions.Web), items);
    }

    private static int[] Rect((int X, int Y, int Width, int Height) r) => [r.X, r.Y, r.Width, r.Height];
}

/// <summary>What the detect step tells the order step: the picture's size and each box's [x, y, w, h].</summary>
public sealed record DetectMeta(int Width, int Height, IReadOnlyList<int[]> Boxes);
