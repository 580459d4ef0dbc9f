namespace Serval.Ocr.Recognition;

/// <summary>The text read from one crop and the mean probability of its characters (0 when empty).</summary>
/// <param name="Text">The text.</param>
/// <param name="Confidence">The confidence, 0 to 1.</param>
public readonly record struct RecognizedText(string Text, float Confidence);
