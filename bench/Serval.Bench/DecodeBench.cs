using System.Diagnostics;
using Serval.Bench.OldDecoders;
using Serval.Imaging;

namespace Serval.Bench;

/// <summary>
/// Image decoding: the pictures of <c>tests/ocr-eval</c> (PNG and JPEG, held in memory) decoded
/// through <see cref="ImageDecoder"/> (Skia) and through the managed decoders it replaced, kept in
/// <c>OldDecoders/</c> as the baseline. One thread; rounds alternate which decoder goes first so
/// drift on a shared machine hits both alike. The pixels of both are compared first.
/// </summary>
public static class DecodeBench
{
    /// <summary>Runs <paramref name="rounds"/> rounds over the set and prints the time ratio Skia / managed.</summary>
    public static double Run(int rounds)
    {
        string folder = Path.Combine(Repo.Root, "tests/ocr-eval");
        var files = Directory.GetFiles(folder).Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".jpg", StringComparison.Ordinal)).Order().ToArray();
        byte[][] images = [.. files.Select(File.ReadAllBytes)];
        bool[] jpeg = [.. files.Select(f => f.EndsWith(".jpg", StringComparison.Ordinal))];
        long pixels = 0;
        int identical = 0, maxDifference = 0;
        for (int i = 0; i < images.Length; i++)
        {
            RgbImage skia = ImageDecoder.Decode(images[i]), managed = OldImageDecoder.Decode(images[i]);
            pixels += (long)skia.Width * skia.Height;
            int max = (skia.Width, skia.Height) == (managed.Width, managed.Height) ? MaxDifference(skia.Pixels, managed.Pixels) : 255;
            identical += max == 0 ? 1 : 0;
            maxDifference = Math.Max(maxDifference, max);
        }

        Console.WriteLine($"decode: {images.Length} pictures ({jpeg.Count(j => j)} JPEG, {jpeg.Count(j => !j)} PNG, {images.Sum(b => (long)b.Length) / 1024} KiB, "
            + $"{pixels / 1e6:0.00} Mpixel); same pixels from both decoders: {identical} of {images.Length}, largest sample difference {maxDifference}");

        // Per round, per decoder: ms for the JPEG pictures and for the PNG ones.
        var times = new Dictionary<(bool Skia, bool Jpeg), List<double>>
        {
            [(true, true)] = [], [(true, false)] = [], [(false, true)] = [], [(false, false)] = [],
        };
        var allocated = new Dictionary<bool, long> { [true] = 0, [false] = 0 };
        for (int round = -2; round < rounds; round++) // two warm-up rounds
        {
            foreach (bool skia in round % 2 == 0 ? [true, false] : (bool[])[false, true])
            {
                double jpegMs = 0, pngMs = 0;
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < images.Length; i++)
                {
                    long t = Stopwatch.GetTimestamp();
                    RgbImage image = skia ? ImageDecoder.Decode(images[i]) : OldImageDecoder.Decode(images[i]);
                    double ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    GC.KeepAlive(image);
                    (jpeg[i] ? ref jpegMs : ref pngMs) += ms;
                }

                if (round >= 0)
                {
                    times[(skia, true)].Add(jpegMs);
                    times[(skia, false)].Add(pngMs);
                    allocated[skia] += GC.GetAllocatedBytesForCurrentThread() - before;
                }
            }
        }

        double Median(bool skia, bool? isJpeg) => isJpeg is { } j
            ? Stats.Percentile(times[(skia, j)], 50)
            : Stats.Percentile([.. times[(skia, true)].Zip(times[(skia, false)], (a, b) => a + b)], 50);
        double ratio = Median(true, null) / Median(false, null);
        Console.WriteLine($"decode: managed (old) per round: JPEG {Median(false, true):0.00} ms, PNG {Median(false, false):0.00} ms, all {Median(false, null):0.00} ms (median of {rounds}), "
            + $"{allocated[false] / rounds / 1024 / 1024} MiB allocated");
        Console.WriteLine($"decode: Skia          per round: JPEG {Median(true, true):0.00} ms, PNG {Median(true, false):0.00} ms, all {Median(true, null):0.00} ms (median of {rounds}), "
            + $"{allocated[true] / rounds / 1024 / 1024} MiB allocated");
        Console.WriteLine($"decode: time ratio Skia / managed = {ratio:0.000} (JPEG {Median(true, true) / Median(false, true):0.000}, PNG {Median(true, false) / Median(false, false):0.000})");
        return ratio;
    }

    private static int MaxDifference(byte[] a, byte[] b)
    {
        int max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
