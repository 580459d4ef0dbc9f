using System.Runtime.InteropServices;
using System.Text.Json;
using Serval.Imaging;
using Serval.Ocr.Classification;
using Serval.Ocr.Cropping;
using Serval.Ocr.Detection;
using Serval.Ocr.Geometry;
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

        DetInput input = DetPreprocess.Run(image);
        List<Quad> boxes;
        using (SessionOutputs outputs = _det.RunRaw([new NamedTensor(_det.Inputs[0].Name, input.Tensor)], cancellationToken))
        {
            boxes = DbPostprocess.Run(MemoryMarshal.Cast<byte, float>(outputs.Data(0)), input);
        }

        var crops = new RgbImage[boxes.Count];
        for (int i = 0; i < crops.Length; i++)
        {
            crops[i] = CropPerspective.Crop(image, boxes[i]);
        }

        if (_cls is not null && crops.Length > 0)
        {
            ClsStep.Apply(_cls, crops, cancellationToken: cancellationToken);
        }

        var meta = new DetectMeta(image.Width, image.Height, boxes.Select(b => Rect(b.Bounds())).ToList());
        var items = crops.Select(c => (ReadOnlyMemory<byte>)CropCodec.Encode(c)).ToList();
        return FunctionResponse.Items(JsonSerializer.SerializeToUtf8Bytes(meta, JsonSerializerOptions.Web), items);
    }

    private static int[] Rect((int X, int Y, int Width, int Height) r) => [r.X, r.Y, r.Width, r.Height];
}

/// <summary>What the detect step tells the order step: the picture's size and each box's [x, y, w, h].</summary>
public sealed record DetectMeta(int Width, int Height, IReadOnlyList<int[]> Boxes);
