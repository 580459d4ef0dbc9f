namespace Serval.Ocr.Evaluation;

/// <summary>
/// How well one image was read: its ground-truth lines and how many of them some predicted line
/// matches (<see cref="LineMatch"/>), and the edit distance between the whole texts, each the lines
/// joined in reading order with "\n" (so a missing line costs its characters plus one).
/// </summary>
/// <param name="Lines">The ground-truth lines.</param>
/// <param name="MatchedLines">The ground-truth lines that some predicted line matches.</param>
/// <param name="Characters">The characters (text elements) of the joined ground truth as <see cref="LineMatch.Normalize"/> leaves it, "\n"s included, spaces not.</param>
/// <param name="Edits">The Levenshtein distance between the joined ground truth and the joined prediction.</param>
public sealed record OcrImageScore(int Lines, int MatchedLines, int Characters, int Edits)
{
    /// <summary>1 − Edits / Characters, at least 0 (see <see cref="OcrScore.CharacterAccuracy"/>).</summary>
    public double CharacterAccuracy => OcrScore.Accuracy(Edits, Characters);

    /// <summary>Scores one image's <paramref name="predicted"/> lines against its <paramref name="truth"/>, both in reading order.</summary>
    public static OcrImageScore Compute(IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        // Compared as LineMatch normalises: full-width forms folded, spaces not counted (the recogniser does not
        // reliably emit the spaces between Latin words, and they carry no characters to read).
        string truthText = string.Join('\n', truth.Select(LineMatch.Normalize));
        return new OcrImageScore(
            truth.Count,
            truth.Count - Missed(truth, predicted).Count,
            TextDistance.Length(truthText),
            TextDistance.Levenshtein(truthText, string.Join('\n', predicted.Select(LineMatch.Normalize))));
    }

    /// <summary>
    /// The ground-truth lines that no predicted line matches, in order. A predicted line may match
    /// more than one ground-truth line (a sign that says "出口" twice is read by one "出口").
    /// </summary>
    public static IReadOnlyList<string> Missed(IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        var missed = new List<string>();
        foreach (string line in truth)
        {
            bool found = false;
            for (int i = 0; i < predicted.Count; i++)
            {
                if (LineMatch.MatchesFrom(line, predicted, i))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                missed.Add(line);
            }
        }

        return missed;
    }
}
