namespace Serval.Core.Specs;

/// <summary>Reads and validates a function's <c>serval.yaml</c>.</summary>
public static class SpecParser
{
    /// <summary>
    /// Parses <paramref name="yamlText"/> into a <see cref="FunctionSpec"/>, checking every key and
    /// value. Never throws on bad input: the result holds the spec, or every error found, each
    /// with <paramref name="fileName"/>, its line and column, the key and a hint. Files the spec
    /// names are checked apart, against the package, by <see cref="SpecFiles.Check"/>.
    /// </summary>
    public static SpecParseResult Parse(string yamlText, string fileName = "serval.yaml") =>
        new SpecReader(fileName).Read(yamlText);
}
