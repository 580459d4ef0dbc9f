using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Serval.Core.Specs;

/// <summary>A YAML node with its position (1-based line and column), as the spec reader sees it.</summary>
internal abstract class YamlNode(Mark start)
{
    public int Line { get; } = (int)start.Line;

    public int Column { get; } = (int)start.Column;
}

/// <summary>A scalar. Plain scalars may mean "nothing" (<c>~</c>, <c>null</c> or no text); quoted ones never do.</summary>
internal sealed class YamlText(Mark start, string value, bool plain) : YamlNode(start)
{
    public string Value { get; } = value;

    /// <summary>Written without quotes: its text may mean a number, a boolean or null.</summary>
    public bool Plain { get; } = plain;

    public bool IsNull { get; } = plain && value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed class YamlList(Mark start, List<YamlNode> items) : YamlNode(start)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;
}

/// <summary>A mapping, its entries in file order. Duplicate keys are kept so the reader can report them.</summary>
internal sealed class YamlMap(Mark start, List<(YamlNode Key, YamlNode Value)> entries) : YamlNode(start)
{
    public IReadOnlyList<(YamlNode Key, YamlNode Value)> Entries { get; } = entries;
}

/// <summary>One document of a YAML stream: where it starts (its <c>---</c>, or its first node) and its root.</summary>
internal sealed record YamlDocument(int Line, int Column, YamlNode Root);

/// <summary>
/// Builds <see cref="YamlNode"/> trees from YamlDotNet's parser events. Built here rather than with
/// YamlDotNet's representation model because that one throws at the first duplicate key, and a
/// spec reader wants to report every problem with its position.
/// </summary>
internal sealed class YamlTree
{
    /// <summary>Deeper nesting than any spec needs; stops a hostile file from exhausting the stack.</summary>
    private const int MaxDepth = 64;

    private readonly Parser _parser;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private Mark _last = Mark.Empty;

    private YamlTree(string text) => _parser = new Parser(new StringReader(text));

    /// <summary>The documents of <paramref name="text"/>. Throws <see cref="YamlException"/> on a syntax error.</summary>
    public static List<YamlDocument> Load(string text)
    {
        var tree = new YamlTree(text);
        try
        {
            return tree.ReadStream();
        }
        catch (Exception e) when (e is not YamlException)
        {
            // YamlDotNet's scanner throws InvalidOperationException on some malformed input
            // ("runtime: [onnx" with no ']'); the last event read is the best position there is.
            throw new YamlException(tree._last, tree._last, "not valid YAML from here on (is a '[', '{' or quote left open?)", e);
        }
    }

    private List<YamlDocument> ReadStream()
    {
        var documents = new List<YamlDocument>();
        Next<StreamStart>();
        while (_parser.Accept<DocumentStart>(out var start))
        {
            Next<DocumentStart>();
            documents.Add(new YamlDocument((int)start.Start.Line, (int)start.Start.Column, Read(0)));
            Next<DocumentEnd>();
        }

        Next<StreamEnd>();
        return documents;
    }

    private T Next<T>()
        where T : ParsingEvent
    {
        var next = _parser.Consume<T>();
        _last = next.Start;
        return next;
    }

    private YamlNode Read(int depth)
    {
        var start = _parser.Current?.Start ?? _last;
        if (depth > MaxDepth)
        {
            throw new YamlException(start, start, $"nested deeper than {MaxDepth} levels");
        }

        YamlNode node;
        AnchorName anchor;
        switch (Next<ParsingEvent>())
        {
            case Scalar scalar:
                node = new YamlText(scalar.Start, scalar.Value, scalar.Style is ScalarStyle.Plain or ScalarStyle.Any);
                anchor = scalar.Anchor;
                break;
            case SequenceStart sequence:
                var items = new List<YamlNode>();
                while (!_parser.Accept<SequenceEnd>(out _))
                {
                    items.Add(Read(depth + 1));
                }

                Next<SequenceEnd>();
                node = new YamlList(sequence.Start, items);
                anchor = sequence.Anchor;
                break;
            case MappingStart mapping:
                var entries = new List<(YamlNode, YamlNode)>();
                while (!_parser.Accept<MappingEnd>(out _))
                {
                    var key = Read(depth + 1);
                    entries.Add((key, Read(depth + 1)));
                }

                Next<MappingEnd>();
                node = new YamlMap(mapping.Start, entries);
                anchor = mapping.Anchor;
                break;
            case AnchorAlias alias:
                return _anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new YamlException(alias.Start, alias.End, $"the alias '*{alias.Value.Value}' names no anchor");
            case var other:
                throw new YamlException(other.Start, other.End, $"unexpected {other.GetType().Name}");
        }

        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }
}
