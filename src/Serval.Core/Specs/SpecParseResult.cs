namespace Serval.Core.Specs;

/// <summary>What <see cref="SpecParser.Parse"/> found: the spec when the file is valid, else every error, in file order.</summary>
/// <param name="Spec">The spec; null when there is any error.</param>
/// <param name="Errors">Every error found, ordered by line and column; empty when the spec is valid.</param>
public sealed record SpecParseResult(FunctionSpec? Spec, IReadOnlyList<SpecError> Errors)
{
    /// <summary>True when the file is valid and <see cref="Spec"/> is set.</summary>
    public bool Ok => Spec is not null;

    /// <summary>
    /// The spec, or an <see cref="InvalidDataException"/> listing every error. For text already
    /// validated at deploy (a stored version), where an error is a bug rather than user input.
    /// </summary>
    public FunctionSpec SpecOrThrow() =>
        Spec ?? throw new InvalidDataException(string.Join(Environment.NewLine, Errors));
}
