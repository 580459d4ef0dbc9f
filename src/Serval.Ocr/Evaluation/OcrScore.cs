namespace Serval.Ocr.Evaluation;

/// <summary>
/// How well a set of images was read: sums of the <see cref="OcrImageScore"/>s, and the two figures
/// an OCR service is judged by, both in [0, 1].
/// </summary>
/// <param name="Images">How many images were scored.</param>
/// <param name="Lines">Ground-truth lines over all images.</param>
/// <param name="MatchedLines">Ground-truth lines that some predicted line of the same image matches.</param>
/// <param name="Characters">Characters of the joined ground truths.</param>
/// <param name="Edits">Edit distances summed over the images.</param>
public sealed record OcrScore(int Images, int Lines, int MatchedLines, int Characters, int Edits)
{
    /// <summary>
    /// 1 − Edits / Characters, at least 0: 2020 characters read with 101 edits → 0.95; a prediction
    /// with more wrong characters than the truth has is 0, not negative. A set without characters
    /// scores 1 when nothing was predicted either, else 0.
    /// </summary>
    public double CharacterAccuracy => Accuracy(Edits, Characters);

    /// <summary>MatchedLines / Lines: 147 of 154 lines read → 0.955. 1 for a set without lines.</summary>
    public double LineRecall => Lines == 0 ? 1 : (double)MatchedLines / Lines;

    /// <summary>The sums over <paramref name="images"/>.</summary>
    public static OcrScore Over(IEnumerable<OcrImageScore> images)
    {
        int count = 0, lines = 0, matched = 0, characters = 0, edits = 0;
        foreach (var image in images)
        {
            count++;
            lines += image.Lines;
            matched += image.MatchedLines;
            characters += image.Characters;
            edits += image.Edits;
        }

        return new OcrScore(count, lines, matched, characters, edits);
    }

    internal static double Accuracy(int edits, int characters) =>
        characters == 0 ? (edits == 0 ? 1 : 0) : Math.Max(0, 1 - (double)edits / characters);
}
