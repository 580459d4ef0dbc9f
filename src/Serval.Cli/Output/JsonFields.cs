using System.Globalization;
using System.Text.Json;

namespace Serval.Cli.Output;

/// <summary>
/// Reads fields of the control plane's JSON for tables, leniently: a missing field shows as "-",
/// and a list where a count is expected shows its length.
/// </summary>
internal static class JsonFields
{
    public const string Missing = "-";

    /// <summary>A string, number or bool as text.</summary>
    public static string Text(JsonElement item, string name) =>
        !item.TryGetProperty(name, out var value) ? Missing
        : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : Missing,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Array => value.GetArrayLength().ToString(CultureInfo.InvariantCulture),
            _ => Missing,
        };

    /// <summary>A number, or the length of a list.</summary>
    public static long? Count(JsonElement item, string name) =>
        !item.TryGetProperty(name, out var value) ? null
        : value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out long n) => n,
            JsonValueKind.Array => value.GetArrayLength(),
            _ => null,
        };

    /// <summary>A timestamp as "3m ago".</summary>
    public static string Ago(JsonElement item, string name, DateTimeOffset now) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var then)
            ? Formats.Ago(then, now)
            : Missing;

    /// <summary>A coming time as "in 42s"; "-" when absent or null.</summary>
    public static string Until(JsonElement item, string name, DateTimeOffset now) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var then)
            ? Formats.Until(then, now)
            : Missing;

    /// <summary>
    /// A version's size: its <c>size</c>, else the sum of its <c>files[].size</c>.
    /// </summary>
    public static string TotalSize(JsonElement item)
    {
        if (item.TryGetProperty("size", out var size) && size.TryGetInt64(out long bytes))
        {
            return Formats.Bytes(bytes);
        }

        if (item.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Array)
        {
            long total = 0;
            foreach (var file in files.EnumerateArray())
            {
                if (file.ValueKind == JsonValueKind.Object && file.TryGetProperty("size", out var s) && s.TryGetInt64(out long n))
                {
                    total += n;
                }
            }

            return Formats.Bytes(total);
        }

        return Missing;
    }

    /// <summary>The array itself, or the array under <paramref name="property"/> of an object.</summary>
    public static IEnumerable<JsonElement> List(JsonElement root, string property) =>
        root.ValueKind == JsonValueKind.Array ? root.EnumerateArray()
        : root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : [];
}
