namespace Serval.Cli.Packaging;

/// <summary>
/// What the CLI needs from a <c>serval.yaml</c> before uploading it: the runtime, the project to
/// build and the model files to send. A light line-by-line read of top-level keys; the server
/// parses and validates the file for real and answers with the line and a hint.
/// </summary>
internal sealed record SpecFile(string? Name, string? Runtime, string? Entry, IReadOnlyList<(string Field, string Path, int Line)> ModelFiles)
{
    /// <summary>The file has a top-level <c>plan:</c>: a plan has no runtime and no files, only its spec.</summary>
    public bool IsPlan { get; init; }

    /// <summary>Reads top-level <c>key: value</c> lines, and <c>models:</c> as a flow map or an indented block.</summary>
    public static SpecFile Parse(string text)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var models = new List<(string, string, int)>();
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = StripComment(lines[i]);
            if (line.Trim().Length == 0 || char.IsWhiteSpace(line[0]) || line.StartsWith('-'))
            {
                continue;
            }

            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            values[key] = (Unquote(value), i + 1);
            if (key != "models")
            {
                continue;
            }

            if (value.StartsWith('{'))
            {
                foreach (string pair in value.Trim('{', '}').Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    AddPair(pair, i + 1, models);
                }
            }
            else
            {
                // The block under "models:": the indented lines that follow.
                for (int j = i + 1; j < lines.Length; j++)
                {
                    string child = StripComment(lines[j]);
                    if (child.Trim().Length == 0)
                    {
                        continue;
                    }

                    if (!char.IsWhiteSpace(child[0]))
                    {
                        break;
                    }

                    AddPair(child, j + 1, models);
                }
            }
        }

        if (values.TryGetValue("model", out var model) && model.Value.Length > 0)
        {
            models.Insert(0, ("model", model.Value, model.Line));
        }

        return new SpecFile(Get(values, "name"), Get(values, "runtime"), Get(values, "entry"), models) { IsPlan = values.ContainsKey("plan") };
    }

    private static void AddPair(string pair, int line, List<(string, string, int)> into)
    {
        int colon = pair.IndexOf(':');
        if (colon > 0)
        {
            string path = Unquote(pair[(colon + 1)..].Trim());
            if (path.Length > 0)
            {
                into.Add(($"models.{Unquote(pair[..colon].Trim())}", path, line));
            }
        }
    }

    private static string? Get(Dictionary<string, (string Value, int Line)> values, string key) =>
        values.TryGetValue(key, out var v) && v.Value.Length > 0 ? v.Value : null;

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    // "model: a.onnx  # the model" → "model: a.onnx"; a '#' inside quotes or a word stays.
    private static string StripComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'' && (i == 0 || line[i - 1] is ' ' or '\t' or ':' or ',' or '{'))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i].TrimEnd();
            }
        }

        return line.TrimEnd();
    }
}
