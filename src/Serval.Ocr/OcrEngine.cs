using Serval.Imaging;
using Serval.Ocr.Geometry;
using Serval.Ocr.Layout;
using Serval.Ocr.Recognition;
using Serval.Onnx;

namespace Serval.Ocr;

/// <summary>
/// The PP-OCR pipeline in one process: detect text boxes, crop them upright, optionally turn
/// upside-down crops, recognise each, and return the lines in reading order. Its steps are
/// <see cref="OcrSteps"/> (and <see cref="Assemble"/>), so a plan can detect in one function,
/// recognise crops in another and assemble in a third with the same code.
/// Calls may run concurrently (sessions allow it); each call itself runs its steps one after another.
/// </summary>
public sealed class OcrEngine : IDisposable
{
    /// <summary>The detector's file name in the model folder.</summary>
    public const string DetModelFile = "ch_PP-OCRv4_det_infer.onnx";

    /// <summary>The recogniser's file name in the model folder.</summary>
    public const string RecModelFile = "ch_PP-OCRv4_rec_infer.onnx";

    /// <summary>The angle classifier's file name in the model folder.</summary>
    public const string ClsModelFile = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

    /// <summary>The recogniser's character list's file name in the model folder.</summary>
    public const string KeysFile = "ppocr_keys_v1.txt";

    private readonly InferenceSession _det;
    private readonly InferenceSession _rec;
    private readonly InferenceSession? _cls;
    private readonly CtcDecoder _decoder;
    private readonly bool _ownsSessions;

    /// <summary>
    /// An engine over loaded sessions, which stay the caller's to dispose. Without
    /// <paramref name="cls"/> no crop is turned.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid, or the recogniser does not fit the character list.</exception>
    public OcrEngine(InferenceSession det, InferenceSession rec, CtcDecoder decoder, InferenceSession? cls = null, OcrOptions? options = null)
        : this(det, rec, decoder, cls, options, ownsSessions: false)
    {
    }

    private OcrEngine(InferenceSession det, InferenceSession rec, CtcDecoder decoder, InferenceSession? cls, OcrOptions? options, bool ownsSessions)
    {
        Options = options ?? new OcrOptions();
        IReadOnlyList<string> errors = Options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid OCR options: " + string.Join("; ", errors), nameof(options));
        }

        long classes = rec.Outputs.Count == 1 && rec.Outputs[0].Shape.Length == 3 ? rec.Outputs[0].Shape[2] : -2;
        if (classes != -1 && classes != decoder.ClassCount)
        {
            throw new ArgumentException(
                $"the recogniser '{rec.ModelPath}' outputs {(classes < 0 ? "no [N, T, C] tensor" : $"{classes} classes")}, but the character list makes {decoder.ClassCount}", nameof(rec));
        }

        (_det, _rec, _cls, _decoder, _ownsSessions) = (det, rec, cls, decoder, ownsSessions);
    }

    /// <summary>The options in use.</summary>
    public OcrOptions Options { get; }

    /// <summary>
    /// Loads the models and character list from <paramref name="modelDirectory"/> (file names as
    /// in <see cref="DetModelFile"/> …); the classifier is optional. The engine owns the sessions.
    /// </summary>
    public static OcrEngine Open(string modelDirectory, OcrOptions? options = null, SessionOptions? sessionOptions = null)
    {
        CtcDecoder decoder = CtcDecoder.Load(Path.Combine(modelDirectory, KeysFile));
        string clsPath = Path.Combine(modelDirectory, ClsModelFile);
        InferenceSession? det = null, rec = null, cls = null;
        try
        {
            det = new InferenceSession(Path.Combine(modelDirectory, DetModelFile), sessionOptions);
            rec = new InferenceSession(Path.Combine(modelDirectory, RecModelFile), sessionOptions);
            cls = File.Exists(clsPath) ? new InferenceSession(clsPath, sessionOptions) : null;
            return new OcrEngine(det, rec, decoder, cls, options, ownsSessions: true);
        }
        catch
        {
            det?.Dispose();
            rec?.Dispose();
            cls?.Dispose();
            throw;
        }
    }

    /// <summary>Reads every line of <paramref name="image"/> at or above the minimum confidence, in reading order.</summary>
    public IReadOnlyList<OcrLine> Read(RgbImage image, CancellationToken cancellationToken = default)
    {
        DetectedBoxes detected = Detect(image, cancellationToken);
        var texts = new RecognizedText[detected.Crops.Count];

        // Narrow crops first, so each batch pads its crops to similar widths (PaddleOCR does the same).
        int[] byWidth = new int[texts.Length];
        for (int i = 0; i < byWidth.Length; i++)
        {
            byWidth[i] = i;
        }

        Array.Sort(byWidth, (a, b) =>
        {
            int c = Aspect(detected.Crops[a]).CompareTo(Aspect(detected.Crops[b]));
            return c != 0 ? c : a.CompareTo(b);
        });
        for (int start = 0; start < byWidth.Length; start += Options.RecBatchSize)
        {
            var batch = new RgbImage[Math.Min(Options.RecBatchSize, byWidth.Length - start)];
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = detected.Crops[byWidth[start + i]];
            }

            RecognizedText[] read = Recognize(batch, cancellationToken);
            for (int i = 0; i < batch.Length; i++)
            {
                texts[byWidth[start + i]] = read[i];
            }
        }

        return Assemble(detected.Boxes, texts, Options.MinConfidence);
    }

    /// <summary>Finds the text boxes of <paramref name="image"/> and crops them (turning upside-down ones when the engine has a classifier).</summary>
    public DetectedBoxes Detect(RgbImage image, CancellationToken cancellationToken = default) =>
        OcrSteps.Detect(_det, _cls, image, Options, cancellationToken);

    /// <summary>The text boxes of <paramref name="image"/> (detection only).</summary>
    public List<Quad> DetectBoxes(RgbImage image, CancellationToken cancellationToken = default) =>
        OcrSteps.DetectBoxes(_det, image, Options, cancellationToken);

    /// <summary>
    /// Reads <paramref name="crops"/> as one batch, padded to the widest of them (at least
    /// <see cref="OcrOptions.RecMinWidth"/>); the answers are in the order of the crops.
    /// </summary>
    public RecognizedText[] Recognize(IReadOnlyList<RgbImage> crops, CancellationToken cancellationToken = default) =>
        OcrSteps.Recognize(_rec, _decoder, crops, Options, cancellationToken);

    /// <summary>
    /// The lines to answer: each box with its text, dropping those below
    /// <paramref name="minConfidence"/>, in reading order, with the box's axis-aligned rectangle.
    /// </summary>
    public static IReadOnlyList<OcrLine> Assemble(IReadOnlyList<Quad> boxes, IReadOnlyList<RecognizedText> texts, float minConfidence = 0.5f)
    {
        if (boxes.Count != texts.Count)
        {
            throw new ArgumentException($"{boxes.Count} boxes but {texts.Count} texts: each box needs its text", nameof(texts));
        }

        var lines = new List<OcrLine>(boxes.Count);
        for (int i = 0; i < boxes.Count; i++)
        {
            if (texts[i].Confidence >= minConfidence && texts[i].Text.Length > 0)
            {
                var (x, y, w, h) = boxes[i].Bounds();
                lines.Add(new OcrLine(texts[i].Text, texts[i].Confidence, x, y, w, h));
            }
        }

        return ReadingOrder.Sort(lines);
    }

    /// <summary>Disposes the sessions when <see cref="Open"/> loaded them; otherwise does nothing.</summary>
    public void Dispose()
    {
        if (_ownsSessions)
        {
            _det.Dispose();
            _rec.Dispose();
            _cls?.Dispose();
        }
    }

    private static float Aspect(RgbImage crop) => (float)crop.Width / crop.Height;
}
