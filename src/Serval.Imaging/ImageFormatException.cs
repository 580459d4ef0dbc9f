namespace Serval.Imaging;

/// <summary>
/// The bytes given to <see cref="ImageDecoder"/> are not an image it can decode: not PNG or JPEG,
/// damaged, truncated, or a kind of PNG or JPEG that is not supported. The message says which.
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
