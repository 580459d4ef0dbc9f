using System.Runtime.InteropServices;
using Serval.Imaging;
using Serval.Ocr.Classification;
using Serval.Ocr.Cropping;
using Serval.Ocr.Detection;
using Serval.Ocr.Geometry;
using Serval.Ocr.Recognition;
using Serval.Core.Tensors;
using Serval.Onnx;

namespace Serval.Ocr;

/// <summary>
/// The pipeline's steps over the sessions each needs, so a function holding only one model (a
/// plan's detect or recognise step) runs the same code as <see cref="OcrEngine"/>, which calls these.
/// </summary>
public static class OcrSteps
{
    /// <summary>The text boxes of <paramref name="image"/> (detection only).</summary>
    public static List<Quad> DetectBoxes(InferenceSession det, RgbImage image, OcrOptions options, CancellationToken cancellationToken = default)
    {
        DetInput input = DetPreprocess.Run(image, options.DetLimitSide);
        using SessionOutputs outputs = det.RunRaw([new NamedTensor(det.Inputs[0].Name, input.Tensor)], cancellationToken);
        return DbPostprocess.Run(MemoryMarshal.Cast<byte, float>(outputs.Data(0)), input, options.Db);
    }

    /// <summary>
    /// The text boxes of <paramref name="image"/>, each cropped upright; with <paramref name="cls"/>
    /// (and <see cref="OcrOptions.UseAngleClassifier"/>), upside-down crops are turned.
    /// </summary>
    public static DetectedBoxes Detect(InferenceSession det, InferenceSession? cls, RgbImage image, OcrOptions options, CancellationToken cancellationToken = default)
    {
        List<Quad> boxes = DetectBoxes(det, image, options, cancellationToken);
        var crops = new RgbImage[boxes.Count];
        for (int i = 0; i < crops.Length; i++)
        {
            crops[i] = CropPerspective.Crop(image, boxes[i]);
        }

        if (cls is not null && options.UseAngleClassifier && crops.Length > 0)
        {
            ClsStep.Apply(cls, crops, options.ClsThreshold, cancellationToken: cancellationToken);
        }

        return new DetectedBoxes(boxes, crops);
    }

    /// <summary>
    /// Reads <paramref name="crops"/> as one batch, padded to the widest of them (at least
    /// <see cref="OcrOptions.RecMinWidth"/>); the answers are in the order of the crops.
    /// </summary>
    public static RecognizedText[] Recognize(InferenceSession rec, CtcDecoder decoder, IReadOnlyList<RgbImage> crops, OcrOptions options, CancellationToken cancellationToken = default)
    {
        if (crops.Count == 0)
        {
            return [];
        }

        RecBatch batch = RecPreprocess.Batch(crops, options.RecMinWidth, options.RecMaxWidth);
        using SessionOutputs outputs = rec.RunRaw([new NamedTensor(rec.Inputs[0].Name, batch.Tensor)], cancellationToken);
        return decoder.DecodeBatch(MemoryMarshal.Cast<byte, float>(outputs.Data(0)), outputs.Shape(0));
    }
}
