using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace Serval.Imaging.Tests.WebP;

/// <summary>WebP files made in the test with Skia's encoder (libwebp), and RIFF chunks added by hand.</summary>
public static class WebPFile
{
    /// <summary>Encodes RGBA samples (unpremultiplied), lossless or lossy at <paramref name="quality"/>.</summary>
    public static byte[] Encode(int width, int height, byte[] rgba, bool lossless, float quality = 100)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        GCHandle pinned = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, pinned.AddrOfPinnedObject());
            using SKData? data = pixmap.Encode(new SKWebpEncoderOptions(lossless ? SKWebpEncoderCompression.Lossless : SKWebpEncoderCompression.Lossy, quality));
            return data?.ToArray() ?? throw new InvalidOperationException("Skia's WebP encoder gave nothing");
        }
        finally
        {
            pinned.Free();
        }
    }

    /// <summary>Encodes an <see cref="RgbImage"/>, opaque.</summary>
    public static byte[] Encode(RgbImage image, bool lossless, float quality = 100)
    {
        byte[] rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Pixels.Length; i += 3, j += 4)
        {
            (rgba[j], rgba[j + 1], rgba[j + 2], rgba[j + 3]) = (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2], 255);
        }

        return Encode(image.Width, image.Height, rgba, lossless, quality);
    }

    /// <summary>
    /// The extended format of <paramref name="simple"/>: a VP8X chunk (flag 0x08: EXIF present), the
    /// image chunks as they were, then an EXIF chunk holding <paramref name="tiff"/>.
    /// </summary>
    public static byte[] WithExif(byte[] simple, int width, int height, byte[] tiff)
    {
        var body = new MemoryStream();
        body.Write("WEBP"u8);
        byte[] vp8x = new byte[10];
        vp8x[0] = 0x08;
        WriteUInt24(vp8x.AsSpan(4), width - 1);
        WriteUInt24(vp8x.AsSpan(7), height - 1);
        Chunk(body, "VP8X", vp8x);
        body.Write(simple.AsSpan(12)); // the image chunk(s) of the simple file
        Chunk(body, "EXIF", tiff);
        var file = new MemoryStream();
        file.Write("RIFF"u8);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Length);
        file.Write(size);
        body.WriteTo(file);
        return file.ToArray();
    }

    private static void Chunk(Stream output, string fourCc, ReadOnlySpan<byte> data)
    {
        output.Write(System.Text.Encoding.ASCII.GetBytes(fourCc));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)data.Length);
        output.Write(size);
        output.Write(data);
        if ((data.Length & 1) == 1)
        {
            output.WriteByte(0);
        }
    }

    private static void WriteUInt24(Span<byte> target, int value) => (target[0], target[1], target[2]) = ((byte)value, (byte)(value >> 8), (byte)(value >> 16));
}
