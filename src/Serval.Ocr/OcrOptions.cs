using Serval.Ocr.Classification;
using Serval.Ocr.Detection;
using Serval.Ocr.Recognition;

namespace Serval.Ocr;

/// <summary>
/// How <see cref="OcrEngine"/> reads a picture. Defaults are PaddleOCR's for PP-OCRv4 unless a
/// property says otherwise.
/// </summary>
public sealed record OcrOptions
{
    /// <summary>The detector's longest input side (det_limit_side_len 960); larger pictures are shrunk.</summary>
    public int DetLimitSide { get; init; } = DetPreprocess.DefaultLimitSide;

    /// <summary>How boxes are taken from the detector's output.</summary>
    public DbOptions Db { get; init; } = new();

    /// <summary>Whether to run the angle classifier when the engine has one (use_angle_cls).</summary>
    public bool UseAngleClassifier { get; init; } = true;

    /// <summary>The probability of 180° needed to turn a crop (cls_thresh 0.9).</summary>
    public float ClsThreshold { get; init; } = ClsStep.DefaultThreshold;

    /// <summary>See <see cref="RecPreprocess.DefaultMaxWidth"/>.</summary>
    public int RecMaxWidth { get; init; } = RecPreprocess.DefaultMaxWidth;

    /// <summary>See <see cref="RecPreprocess.DefaultMinWidth"/>.</summary>
    public int RecMinWidth { get; init; } = RecPreprocess.DefaultMinWidth;

    /// <summary>
    /// Crops per recognition run in <see cref="OcrEngine.Read"/>; crops are sorted by width first,
    /// so a batch pads little. Default 1, not PaddleOCR's 6: on the CPU a batch shares little per
    /// call and its padding costs more (a 20-line invoice, one thread: 39 ms of CPU per line one
    /// at a time, 37 in pairs, 49 in sixes). Raise it on a GPU, where a batch costs about one call.
    /// </summary>
    public int RecBatchSize { get; init; } = 1;

    /// <summary>Lines read with less confidence are dropped (drop_score 0.5).</summary>
    public float MinConfidence { get; init; } = 0.5f;

    /// <summary>Every problem with these options, each naming its field; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (DetLimitSide < 32 || DetLimitSide > 8192)
        {
            errors.Add($"{nameof(DetLimitSide)}: must be between 32 and 8192, got {DetLimitSide}");
        }

        foreach (string error in Db.Validate())
        {
            errors.Add($"{nameof(Db)}.{error}");
        }

        if (!(ClsThreshold >= 0 && ClsThreshold <= 1))
        {
            errors.Add($"{nameof(ClsThreshold)}: must be between 0 and 1, got {ClsThreshold}");
        }

        if (RecMaxWidth < 8 || RecMaxWidth > CropLimit)
        {
            errors.Add($"{nameof(RecMaxWidth)}: must be between 8 and {CropLimit}, got {RecMaxWidth}");
        }

        if (RecMinWidth < 0 || RecMinWidth > RecMaxWidth)
        {
            errors.Add($"{nameof(RecMinWidth)}: must be between 0 and {nameof(RecMaxWidth)} ({RecMaxWidth}), got {RecMinWidth}");
        }

        if (RecBatchSize < 1 || RecBatchSize > 256)
        {
            errors.Add($"{nameof(RecBatchSize)}: must be between 1 and 256, got {RecBatchSize}");
        }

        if (!(MinConfidence >= 0 && MinConfidence <= 1))
        {
            errors.Add($"{nameof(MinConfidence)}: must be between 0 and 1, got {MinConfidence}");
        }

        return errors;
    }

    private const int CropLimit = 16384;
}
