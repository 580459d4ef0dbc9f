namespace Serval.Core.Specs;

/// <summary>
/// One problem in a <c>serval.yaml</c>: where it is (1-based line and column), the key it concerns
/// (a dotted path such as <c>instances.max</c>; empty for problems with the file as a whole), what is
/// wrong and, where one helps, a hint.
/// </summary>
/// <param name="File">The spec's file name, as given to the parser.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Field">The key's dotted path, or empty.</param>
/// <param name="Message">What is wrong: "must be at least 1, got 0".</param>
/// <param name="Hint">How to fix it, or null.</param>
public sealed record SpecError(string File, int Line, int Column, string Field, string Message, string? Hint)
{
    /// <summary>Compiler style: <c>serval.yaml:3:1: instances.max: must be at least 1, got 0 (hint: ...)</c>.</summary>
    public override string ToString()
    {
        var field = Field.Length == 0 ? "" : $"{Field}: ";
        var hint = Hint is null ? "" : $" (hint: {Hint})";
        return $"{File}:{Line}:{Column}: {field}{Message}{hint}";
    }
}
