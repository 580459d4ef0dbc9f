using Serval.Ocr.Evaluation;

namespace Serval.Cli.Commands;

/// <summary>An OCR evaluation set on disk: a folder with images and a <c>truth.json</c> naming them.</summary>
internal static class OcrEvalSet
{
    public const string TruthFile = "truth.json";

    /// <summary>
    /// Reads DIR/truth.json and checks that every image it names is a file inside DIR, before any
    /// request is sent. Fails with one line naming the folder, the entry or the missing image.
    /// </summary>
    public static IReadOnlyList<OcrTruth> Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CliException($"{folder}: no such folder");
        }

        string truthPath = Path.Combine(folder, TruthFile);
        if (!File.Exists(truthPath))
        {
            throw new CliException(
                $"{folder}: no {TruthFile} (an evaluation set is a folder of images and a {TruthFile}: " +
                "[{\"image\": \"001.png\", \"lines\": [\"...\"]}])");
        }

        IReadOnlyList<OcrTruth> set;
        try
        {
            set = OcrTruth.ParseSet(File.ReadAllText(truthPath));
        }
        catch (FormatException e)
        {
            throw new CliException($"{truthPath}: {e.Message}");
        }

        if (set.Count == 0)
        {
            throw new CliException($"{truthPath}: lists no images");
        }

        string root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        foreach (var truth in set)
        {
            string path = ImagePath(folder, truth);
            if (!Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal))
            {
                throw new CliException($"{truthPath}: the image \"{truth.Image}\" is not inside {folder}");
            }

            if (!File.Exists(path))
            {
                throw new CliException($"{truthPath} names {truth.Image}, which is not in {folder}");
            }
        }

        return set;
    }

    public static string ImagePath(string folder, OcrTruth truth) => Path.Combine(folder, truth.Image);
}
