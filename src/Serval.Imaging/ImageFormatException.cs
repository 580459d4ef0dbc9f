namespace Serval.Imaging;

/// <summary>
/// The bytes given to <see cref="ImageDecoder"/> are not an image it can decode: not PNG, JPEG or
/// WebP, damaged, truncated, or using a feature the decoder does not support. The message says which.
/// </summary>
public class ImageFormatException : Exception
{
    /// <summary>An error with the given message.</summary>
    public ImageFormatException(string message)
        : base(message)
    {
    }

    /// <summary>An error with the given message, caused by <paramref name="inner"/>.</summary>
    public ImageFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
