namespace Serval.Ocr;

/// <summary>
/// One recognised line: its text, the recogniser's confidence (mean of the kept characters'
/// probabilities) and its axis-aligned bounding rectangle in the input image's pixels.
/// </summary>
public sealed record OcrLine(string Text, float Confidence, int X, int Y, int Width, int Height);
