namespace Serval.Core.Specs;

/// <summary>Edit distance for "did you mean" hints.</summary>
public static class EditDistance
{
    /// <summary>
    /// Optimal string alignment distance, ignoring case: insertions, deletions, substitutions and
    /// swaps of two neighbours each cost 1 ("modle" → "model" is 1, "concurency" → "concurrency" is 1).
    /// </summary>
    public static int Between(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>
    /// The candidate nearest to <paramref name="word"/>, or null when none is close enough to be a
    /// likely typo: at most a third of the word's length, at least 1, at most 3 edits
    /// ("timout" → "timeout"; "foo" → nothing among the spec keys), or <paramref name="maxDistance"/>.
    /// </summary>
    public static string? Nearest(string word, IEnumerable<string> candidates, int? maxDistance = null)
    {
        var limit = maxDistance ?? Math.Clamp(word.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Between(word, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }
}
