using System.Text;

namespace Serval.Ocr.Evaluation;

/// <summary>
/// When a predicted line counts as reading a ground-truth line: after removing all whitespace from
/// both (PP-OCR drops spaces between Chinese and Latin text and inserts them between wide glyphs),
/// their <see cref="TextDistance.Normalized"/> distance is at most <see cref="MaxDistance"/>.
/// Nothing else is folded: "，" and "," are different characters. Pure.
/// </summary>
public static class LineMatch
{
    /// <summary>
    /// 0.1: one wrong character in a line of 10 still counts as read ("合计：￥128.50" read as
    /// "合计:￥128.50" is 1 / 10), two do not.
    /// </summary>
    public const double MaxDistance = 0.1;

    /// <summary><paramref name="line"/> without whitespace: "出口 EXIT" → "出口EXIT".</summary>
    public static string Normalize(string line)
    {
        var kept = new StringBuilder(line.Length);
        foreach (var rune in line.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune))
            {
                kept.Append(rune.ToString());
            }
        }

        return kept.ToString();
    }

    /// <summary>True when <paramref name="predicted"/> reads <paramref name="truth"/> (see the type).</summary>
    public static bool Matches(string truth, string predicted) =>
        TextDistance.Normalized(Normalize(truth), Normalize(predicted)) <= MaxDistance;
}
