namespace Serval.Core.Security;

/// <summary>
/// Which functions a key covers: an exact name (<c>ocr-rec</c>), a prefix ending in <c>*</c>
/// (<c>ocr-*</c> covers <c>ocr-rec</c> and <c>ocr-det</c>, <c>ocr*</c> also covers <c>ocr</c>),
/// or <c>*</c> for every function.
/// </summary>
/// <param name="Text">The pattern as written.</param>
public readonly record struct FunctionPattern(string Text)
{
    /// <summary>Every function.</summary>
    public static readonly FunctionPattern All = new("*");

    /// <summary>True for <c>*</c>.</summary>
    public bool IsAll => Text == "*";

    /// <summary>True when <paramref name="function"/> is covered: equal, or starting with the prefix before <c>*</c>.</summary>
    public bool Matches(string function) =>
        Text.EndsWith('*')
            ? function.StartsWith(Text.AsSpan(0, Text.Length - 1), StringComparison.Ordinal)
            : string.Equals(function, Text, StringComparison.Ordinal);

    /// <summary>
    /// The pattern, or the message saying what is wrong: a function name's characters (letters,
    /// digits, <c>-</c>, <c>_</c>, <c>.</c>) with at most one <c>*</c>, at the end.
    /// </summary>
    public static (FunctionPattern? Pattern, string? Error) Parse(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return (null, "a function pattern is empty: give a name (ocr-rec), a prefix (ocr-*) or *");
        }

        int star = text.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0 && star != text.Length - 1)
        {
            return (null, $"function pattern '{text}': '*' may only end a pattern (ocr-*), not stand inside it");
        }

        foreach (char c in text.AsSpan(0, star >= 0 ? star : text.Length))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return (null, $"function pattern '{text}': '{c}' is not allowed (letters, digits, '-', '_', '.', and a final '*')");
            }
        }

        return (new FunctionPattern(text), null);
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
