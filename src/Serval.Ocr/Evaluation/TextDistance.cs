using System.Globalization;

namespace Serval.Ocr.Evaluation;

/// <summary>
/// Levenshtein distance over text elements (what a reader counts as one character: a code point, a
/// surrogate pair, or a letter with its combining marks), so "北京" → "北京市" is 1 edit and an "é"
/// written as e + U+0301 is one character, not two. Pure.
/// </summary>
public static class TextDistance
{
    /// <summary>The text elements of <paramref name="text"/>, in order.</summary>
    public static string[] Elements(string text)
    {
        var elements = new List<string>(text.Length);
        var walker = StringInfo.GetTextElementEnumerator(text);
        while (walker.MoveNext())
        {
            elements.Add(walker.GetTextElement());
        }

        return [.. elements];
    }

    /// <summary>How many characters (text elements) <paramref name="text"/> holds.</summary>
    public static int Length(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>
    /// The fewest insertions, deletions and substitutions of one character that turn
    /// <paramref name="a"/> into <paramref name="b"/>: "kitten" → "sitting" is 3.
    /// </summary>
    public static int Levenshtein(string a, string b)
    {
        string[] x = Elements(a);
        string[] y = Elements(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return Math.Max(x.Length, y.Length);
        }

        // Two rows of the (|x|+1)×(|y|+1) table: previous[j] = distance(x[..i-1], y[..j]).
        var previous = new int[y.Length + 1];
        var current = new int[y.Length + 1];
        for (int j = 0; j <= y.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= x.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= y.Length; j++)
            {
                int substitute = previous[j - 1] + (string.Equals(x[i - 1], y[j - 1], StringComparison.Ordinal) ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[y.Length];
    }

    /// <summary>
    /// <see cref="Levenshtein"/> divided by the longer text's length, in [0, 1]; 0 when both are
    /// empty. "营业时间九点" (6) → "营业时间八点" is 1 / 6 ≈ 0.17.
    /// </summary>
    public static double Normalized(string a, string b)
    {
        int longer = Math.Max(Length(a), Length(b));
        return longer == 0 ? 0 : (double)Levenshtein(a, b) / longer;
    }
}
