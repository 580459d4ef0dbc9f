using System.Text;

namespace Serval.Ocr.Evaluation;

/// <summary>
/// When a predicted line counts as reading a ground-truth line: after <see cref="Normalize"/> of
/// both (whitespace removed: PP-OCR drops spaces between Chinese and Latin text and inserts them
/// between wide glyphs; full-width forms folded), their <see cref="TextDistance.Normalized"/>
/// distance is at most <see cref="MaxDistance"/>. Nothing else is folded: "。" and "." are
/// different characters. Pure.
/// </summary>
public static class LineMatch
{
    /// <summary>
    /// 0.1: one wrong character in a line of 10 still counts as read ("合计：￥128.50" read as
    /// "合汁:¥128.50" is 1 / 10), two do not.
    /// </summary>
    public const double MaxDistance = 0.1;

    /// <summary>
    /// <paramref name="line"/> with full-width forms folded to their ASCII twins (full-width
    /// "（８）" reads as "(8)", "￥" as "¥": the recogniser's dictionary mostly has the narrow form,
    /// and the two look alike) and without whitespace: "出口 EXIT" → "出口EXIT". (The platform runs
    /// with invariant globalization, so this is the fold of NFKC that matters here, done by hand.)
    /// </summary>
    public static string Normalize(string line)
    {
        var kept = new StringBuilder(line.Length);
        foreach (var rune in line.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune))
            {
                kept.Append(Fold(rune).ToString());
            }
        }

        return kept.ToString();
    }

    private static Rune Fold(Rune rune) => rune.Value switch
    {
        >= 0xFF01 and <= 0xFF5E => new Rune(rune.Value - 0xFEE0),
        0xFFE5 => new Rune(0x00A5),
        _ => rune,
    };

    /// <summary>True when <paramref name="predicted"/> reads <paramref name="truth"/> (see the type).</summary>
    public static bool Matches(string truth, string predicted) =>
        TextDistance.Normalized(Normalize(truth), Normalize(predicted)) <= MaxDistance;

    /// <summary>
    /// True when <paramref name="predicted"/>[i], or it joined with the next one or two, reads
    /// <paramref name="truth"/>: a detector splits a line with a wide gap ("可乐（大杯）    8.00")
    /// into boxes that reading order puts side by side, and the line is still read.
    /// </summary>
    public static bool MatchesFrom(string truth, IReadOnlyList<string> predicted, int i)
    {
        string joined = predicted[i];
        for (int more = 0; more < 3 && i + more < predicted.Count; more++)
        {
            if (more > 0)
            {
                joined += predicted[i + more];
            }

            if (Matches(truth, joined))
            {
                return true;
            }
        }

        return false;
    }
}
