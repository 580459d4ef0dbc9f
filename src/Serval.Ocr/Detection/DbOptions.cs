namespace Serval.Ocr.Detection;

/// <summary>
/// How the DB detector's probability map becomes boxes. Every default is PaddleOCR's for
/// PP-OCRv4 (tools/infer/utility.py), the values the models were tuned with.
/// </summary>
public sealed record DbOptions
{
    /// <summary>A pixel is text when its probability exceeds this (det_db_thresh 0.3).</summary>
    public float Threshold { get; init; } = 0.3f;

    /// <summary>A region is kept when its mean probability reaches this (det_db_box_thresh 0.6).</summary>
    public float BoxThreshold { get; init; } = 0.6f;

    /// <summary>
    /// How far the shrunk region is grown back (det_db_unclip_ratio 1.5): each side moves out by
    /// area × ratio / perimeter, 100×20 → 3000 / 240 = 12.5 px.
    /// </summary>
    public float UnclipRatio { get; init; } = 1.5f;

    /// <summary>Regions whose rectangle's short side is below this are noise (min_size 3).</summary>
    public int MinSize { get; init; } = 3;

    /// <summary>The most regions examined per picture (max_candidates 1000).</summary>
    public int MaxCandidates { get; init; } = 1000;

    /// <summary>Grow the text mask by one pixel (a 2×2 dilation) before finding regions (off, as in PaddleOCR).</summary>
    public bool UseDilation { get; init; }

    /// <summary>Every problem with these options, each naming its field; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Threshold > 0 && Threshold < 1))
        {
            errors.Add($"{nameof(Threshold)}: must be between 0 and 1 (exclusive), got {Threshold}");
        }

        if (!(BoxThreshold >= 0 && BoxThreshold <= 1))
        {
            errors.Add($"{nameof(BoxThreshold)}: must be between 0 and 1, got {BoxThreshold}");
        }

        if (!(UnclipRatio >= 0 && UnclipRatio <= 10))
        {
            errors.Add($"{nameof(UnclipRatio)}: must be between 0 and 10, got {UnclipRatio}");
        }

        if (MinSize < 0)
        {
            errors.Add($"{nameof(MinSize)}: must not be negative, got {MinSize}");
        }

        if (MaxCandidates < 1)
        {
            errors.Add($"{nameof(MaxCandidates)}: must be at least 1, got {MaxCandidates}");
        }

        return errors;
    }
}
