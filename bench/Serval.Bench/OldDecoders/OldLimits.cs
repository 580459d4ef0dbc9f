using Serval.Imaging;

namespace Serval.Bench.OldDecoders;

/// <summary>The size check the old decoders made (ImageTooLargeException.ThrowIfOver is internal to Serval.Imaging).</summary>
internal static class OldLimits
{
    public static void ThrowIfOver(string format, long width, long height, ImageLimits limits)
    {
        long max = Math.Min(limits.MaxPixels, Array.MaxLength / 3);
        if (width * height > max)
        {
            throw new ImageTooLargeException(format, width, height, max);
        }
    }
}
