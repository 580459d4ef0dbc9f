namespace Serval.Imaging.Jpeg;

/// <summary>Decodes baseline and progressive JPEG.</summary>
internal static class JpegDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits limits) =>
        throw new ImageFormatException("the data is a JPEG image, which is not supported yet");
}
