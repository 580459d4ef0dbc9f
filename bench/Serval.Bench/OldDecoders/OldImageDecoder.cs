using Serval.Bench.OldDecoders.Jpeg;
using Serval.Bench.OldDecoders.Png;
using Serval.Imaging;

namespace Serval.Bench.OldDecoders;

/// <summary>
/// The managed PNG and JPEG decoders Serval.Imaging had before it decoded through Skia, kept here
/// unchanged (namespaces aside) as the baseline of <c>bench/run.sh decode</c>. Not used anywhere else.
/// </summary>
internal static class OldImageDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngDecoder.Signature))
        {
            return PngDecoder.Decode(data, ImageLimits.Default);
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return JpegDecoder.Decode(data, ImageLimits.Default);
        }

        throw new ImageFormatException("not a PNG or JPEG image");
    }
}
