using Serval.Imaging;
using Serval.Ocr.Geometry;

namespace Serval.Ocr;

/// <summary>
/// What detection found in a picture: the text boxes and, for each, its upright crop (already
/// turned when the angle classifier found it upside down). <c>Crops[i]</c> belongs to <c>Boxes[i]</c>.
/// </summary>
/// <param name="Boxes">The boxes in the picture's pixels.</param>
/// <param name="Crops">The crops, one per box.</param>
public sealed record DetectedBoxes(IReadOnlyList<Quad> Boxes, IReadOnlyList<RgbImage> Crops);
