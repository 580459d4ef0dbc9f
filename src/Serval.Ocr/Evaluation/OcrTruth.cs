using System.Text.Json;

namespace Serval.Ocr.Evaluation;

/// <summary>
/// One image of an evaluation set and its text: the file name (relative to the set's folder) and
/// its lines in reading order, as in <c>truth.json</c>:
/// <c>[{ "image": "001.png", "lines": ["欢迎光临", "OPEN 24 HOURS"] }]</c>.
/// </summary>
/// <param name="Image">The image file, relative to the folder holding truth.json.</param>
/// <param name="Lines">The lines in reading order.</param>
public sealed record OcrTruth(string Image, IReadOnlyList<string> Lines)
{
    /// <summary>
    /// Reads a truth.json document. Fails with a <see cref="FormatException"/> naming the entry and
    /// field that is wrong; image names must be unique.
    /// </summary>
    public static IReadOnlyList<OcrTruth> ParseSet(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("expected an array of { \"image\": \"...\", \"lines\": [\"...\"] }");
            }

            var set = new List<OcrTruth>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                var truth = ParseEntry(entry, index);
                if (!seen.Add(truth.Image))
                {
                    throw new FormatException($"entry {index}: the image \"{truth.Image}\" is listed twice");
                }

                set.Add(truth);
                index++;
            }

            return set;
        }
    }

    private static OcrTruth ParseEntry(JsonElement entry, int index)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"entry {index}: expected an object with \"image\" and \"lines\"");
        }

        if (!entry.TryGetProperty("image", out var image) || image.ValueKind != JsonValueKind.String || image.GetString() is not { Length: > 0 } name)
        {
            throw new FormatException($"entry {index}: \"image\" must be a file name");
        }

        if (!entry.TryGetProperty("lines", out var lines) || lines.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"entry {index} ({name}): \"lines\" must be an array of strings");
        }

        var texts = new List<string>();
        foreach (var line in lines.EnumerateArray())
        {
            if (line.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"entry {index} ({name}): \"lines\" must be an array of strings; item {texts.Count} is {line.ValueKind.ToString().ToLowerInvariant()}");
            }

            texts.Add(line.GetString()!);
        }

        return new OcrTruth(name, texts);
    }
}
