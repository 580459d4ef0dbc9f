using System.Text;

namespace Serval.Ocr.Recognition;

/// <summary>
/// Greedy CTC decoding of the recogniser's output, as PaddleOCR's CTCLabelDecode: at each time
/// step take the most probable class, merge runs of the same class, drop the blank (class 0).
/// The confidence is the mean of the kept steps' probabilities. Classes 1 … K are the K lines of
/// the character list (ppocr_keys_v1.txt: 6623) and K + 1 is a space, so the model has K + 2 classes.
/// </summary>
public sealed class CtcDecoder
{
    /// <summary>The blank class.</summary>
    public const int Blank = 0;

    private readonly string[] _characters;

    /// <summary>A decoder over <paramref name="keys"/> (one character, or short string, per class 1 … K).</summary>
    public CtcDecoder(IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("the character list is empty", nameof(keys));
        }

        _characters = new string[keys.Count + 2];
        _characters[Blank] = "";
        for (int i = 0; i < keys.Count; i++)
        {
            _characters[i + 1] = keys[i];
        }

        _characters[^1] = " ";
    }

    /// <summary>The number of classes the model must output: the keys, the blank and the space.</summary>
    public int ClassCount => _characters.Length;

    /// <summary>Reads a character list file, one entry per line (UTF-8).</summary>
    public static CtcDecoder Load(string keysPath)
    {
        if (!File.Exists(keysPath))
        {
            throw new FileNotFoundException($"character list '{keysPath}' does not exist", keysPath);
        }

        string[] lines = File.ReadAllLines(keysPath, Encoding.UTF8);
        // A final newline gives no extra class: ReadAllLines already drops it.
        return new CtcDecoder(lines);
    }

    /// <summary>The text of one crop from its steps × <see cref="ClassCount"/> probabilities.</summary>
    public RecognizedText Decode(ReadOnlySpan<float> probabilities)
    {
        int classes = _characters.Length;
        if (probabilities.Length % classes != 0)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities are not whole steps of {classes} classes", nameof(probabilities));
        }

        var text = new StringBuilder();
        double sum = 0;
        int kept = 0;
        int previous = -1;
        for (int offset = 0; offset < probabilities.Length; offset += classes)
        {
            ReadOnlySpan<float> step = probabilities.Slice(offset, classes);
            int best = 0;
            float bestProbability = step[0];
            for (int c = 1; c < step.Length; c++)
            {
                if (step[c] > bestProbability)
                {
                    best = c;
                    bestProbability = step[c];
                }
            }

            if (best != Blank && best != previous)
            {
                text.Append(_characters[best]);
                sum += bestProbability;
                kept++;
            }

            previous = best;
        }

        return new RecognizedText(text.ToString(), kept == 0 ? 0 : (float)(sum / kept));
    }

    /// <summary>
    /// The text of each row of a [N, T, <see cref="ClassCount"/>] output. With
    /// <paramref name="stepsPerRow"/>, row i reads only its first stepsPerRow[i] steps (the rest
    /// came from padding); without it, every step, as PaddleOCR does (padding reads as blanks).
    /// </summary>
    public RecognizedText[] DecodeBatch(ReadOnlySpan<float> output, IReadOnlyList<long> shape, IReadOnlyList<int>? stepsPerRow = null)
    {
        if (shape.Count != 3 || shape[2] != ClassCount || output.Length != shape[0] * shape[1] * shape[2])
        {
            throw new ArgumentException($"expected a [N, T, {ClassCount}] output, got shape [{string.Join(", ", shape)}] with {output.Length} values", nameof(shape));
        }

        int rows = (int)shape[0], steps = (int)shape[1];
        if (stepsPerRow is not null && stepsPerRow.Count != rows)
        {
            throw new ArgumentException($"{stepsPerRow.Count} step counts for {rows} rows", nameof(stepsPerRow));
        }

        var result = new RecognizedText[rows];
        int rowLength = steps * ClassCount;
        for (int i = 0; i < rows; i++)
        {
            int own = stepsPerRow is null ? steps : Math.Clamp(stepsPerRow[i], 0, steps);
            result[i] = Decode(output.Slice(i * rowLength, own * ClassCount));
        }

        return result;
    }
}
