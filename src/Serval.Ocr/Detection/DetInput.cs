using Serval.Core.Tensors;

namespace Serval.Ocr.Detection;

/// <summary>
/// The detector's input for one picture and the sizes needed to map its output back.
/// </summary>
/// <param name="Tensor">Float [1, 3, <paramref name="Height"/>, <paramref name="Width"/>], B, G, R planes.</param>
/// <param name="Width">The resized width (a multiple of 32).</param>
/// <param name="Height">The resized height (a multiple of 32).</param>
/// <param name="SourceWidth">The picture's width.</param>
/// <param name="SourceHeight">The picture's height.</param>
public sealed record DetInput(Tensor Tensor, int Width, int Height, int SourceWidth, int SourceHeight)
{
    /// <summary>Source pixels per resized pixel across (1000 px resized to 960 → 1.0417).</summary>
    public float ScaleX => (float)SourceWidth / Width;

    /// <summary>Source pixels per resized pixel down.</summary>
    public float ScaleY => (float)SourceHeight / Height;
}
