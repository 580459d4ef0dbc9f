using System.Runtime.InteropServices;
using Serval.Imaging;
using Serval.Ocr.Cropping;
using Serval.Ocr.Pixels;
using Serval.Ocr.Recognition;
using Serval.Core.Tensors;
using Serval.Onnx;

namespace Serval.Ocr.Classification;

/// <summary>
/// The optional angle classifier, as PaddleOCR's TextClassifier: each crop is scaled to 48 rows
/// (at most 192 columns, padded on the right), normalised to (v / 255 − 0.5) / 0.5, and the model
/// answers [N, 2] probabilities for 0° and 180°; a crop is turned when 180° wins with more than
/// the threshold (cls_thresh 0.9).
/// </summary>
public static class ClsStep
{
    /// <summary>The model's input height.</summary>
    public const int Height = 48;

    /// <summary>The model's input width.</summary>
    public const int Width = 192;

    /// <summary>The default confidence needed to turn a crop (PaddleOCR's cls_thresh).</summary>
    public const float DefaultThreshold = 0.9f;

    private static readonly float[] Scale = [1 / 127.5f, 1 / 127.5f, 1 / 127.5f];
    private static readonly float[] Bias = [-1f, -1f, -1f];

    /// <summary>The [N, 3, 48, 192] input for <paramref name="crops"/>.</summary>
    public static Tensor Preprocess(IReadOnlyList<RgbImage> crops)
    {
        var (tensor, bytes) = Planes.Allocate([crops.Count, 3, Height, Width]);
        for (int i = 0; i < crops.Count; i++)
        {
            RgbImage crop = crops[i];
            int width = RecPreprocess.WidthOf(crop.Width, crop.Height, maxWidth: Width);
            Planes.WriteBgr(Bilinear.Resize(crop, width, Height), bytes, i, Height, Width, Scale, Bias);
        }

        return tensor;
    }

    /// <summary>Whether each crop is upside down, from the model's [N, 2] output.</summary>
    public static bool[] UpsideDown(ReadOnlySpan<float> probabilities, int count, float threshold = DefaultThreshold)
    {
        if (probabilities.Length != count * 2)
        {
            throw new ArgumentException($"the classifier's output for {count} crops has {count * 2} values, got {probabilities.Length}", nameof(probabilities));
        }

        bool[] result = new bool[count];
        for (int i = 0; i < count; i++)
        {
            float upright = probabilities[2 * i], turned = probabilities[2 * i + 1];
            result[i] = turned > upright && turned > threshold;
        }

        return result;
    }

    /// <summary>
    /// Classifies <paramref name="crops"/> in batches of <paramref name="batchSize"/> and turns the
    /// upside-down ones in place; returns how many were turned.
    /// </summary>
    public static int Apply(InferenceSession session, IList<RgbImage> crops, float threshold = DefaultThreshold,
        int batchSize = 16, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int turned = 0;
        for (int start = 0; start < crops.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, crops.Count - start);
            var batch = new RgbImage[count];
            for (int i = 0; i < count; i++)
            {
                batch[i] = crops[start + i];
            }

            using SessionOutputs outputs = session.RunRaw([new NamedTensor(session.Inputs[0].Name, Preprocess(batch))], cancellationToken);
            bool[] flip = UpsideDown(MemoryMarshal.Cast<byte, float>(outputs.Data(0)), count, threshold);
            for (int i = 0; i < count; i++)
            {
                if (flip[i])
                {
                    crops[start + i] = CropPerspective.Rotate180(crops[start + i]);
                    turned++;
                }
            }
        }

        return turned;
    }
}
