using System.Text.Json;

namespace Serval.Cli.Api;

/// <summary>
/// Reads the lines out of a <c>/fn/NAME/predict</c> answer for OCR:
/// <c>{"code": 0, "request_id": "...", "data": {"msg": {}, "ndarray": [{"confidence": 0.9, "rect": [x, y, w, h], "res": "text"}]}}</c>;
/// the <c>res</c> fields in order are the lines in reading order. Pure.
/// </summary>
internal static class PredictAnswer
{
    /// <summary>The predicted lines; a <see cref="FormatException"/> says what the answer lacks or what <c>code</c> it carries.</summary>
    public static IReadOnlyList<string> ReadLines(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the answer is not a JSON object");
        }

        if (answer.TryGetProperty("code", out var code) && !(code.ValueKind == JsonValueKind.Number && code.TryGetInt64(out long value) && value == 0))
        {
            throw new FormatException($"the answer's code is {code.GetRawText()}{Reason(answer)}");
        }

        if (!answer.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("ndarray", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the answer has no data.ndarray list");
        }

        var lines = new List<string>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("res", out var res) || res.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"data.ndarray[{lines.Count}] has no \"res\" text");
            }

            lines.Add(res.GetString()!);
        }

        return lines;
    }

    /// <summary>": reason" from the answer's <c>msg</c>, <c>message</c> or <c>error</c> text, if any.</summary>
    private static string Reason(JsonElement answer)
    {
        foreach (string name in (ReadOnlySpan<string>)["msg", "message", "error"])
        {
            if (answer.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 } reason)
            {
                return ": " + reason;
            }
        }

        return "";
    }
}
