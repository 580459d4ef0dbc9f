using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serval.Core.Specs;

/// <summary><c>triggers</c>: crons that invoke the function asynchronously with a JSON payload.</summary>
internal sealed partial class SpecReader
{
    private const string TriggerExample = "- { cron: \"0 3 * * *\", payload: { report: daily } }";

    private List<TriggerSpec> ReadTriggers(YamlNode node)
    {
        var triggers = new List<TriggerSpec>();
        if (node is YamlText { IsNull: true })
        {
            return triggers;
        }

        if (node is not YamlList list)
        {
            Error(node, "triggers", $"must be a list of {{ cron, payload }} entries, got {Describe(node)}", $"write one trigger a line under 'triggers:', like {TriggerExample}");
            return triggers;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var field = $"triggers[{i}]";
            if (list.Items[i] is not YamlMap map)
            {
                Error(list.Items[i], field, $"must be a mapping {{ cron, payload }}, got {Describe(list.Items[i])}", $"write a trigger like {TriggerExample}");
                continue;
            }

            Scheduling.CronSchedule? cron = null;
            string payload = "{}";
            foreach (var (key, _, value) in KnownEntries(map, field, SpecKeys.TriggerEntry, []))
            {
                if (key == "cron")
                {
                    cron = ReadCron(value, $"{field}.cron", null);
                }
                else if (ReadPayload(value, $"{field}.payload") is { } json)
                {
                    payload = json;
                }
            }

            if (!_lines.ContainsKey($"{field}.cron"))
            {
                Error(map, $"{field}.cron", "required", "when the trigger fires, in 5-field cron: 'cron: \"*/5 * * * *\"' is every 5 minutes");
            }

            if (cron is not null)
            {
                triggers.Add(new TriggerSpec(cron, payload));
            }
        }

        return triggers;
    }

    /// <summary>Any YAML value as JSON text; null (with an error) when it has no JSON form.</summary>
    private string? ReadPayload(YamlNode node, string field)
    {
        var errors = _errors.Count;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer, node, field);
        }

        return _errors.Count == errors ? Encoding.UTF8.GetString(buffer.ToArray()) : null;
    }

    /// <summary>
    /// YAML's core schema as JSON: a plain <c>12</c>, <c>-1.5e3</c>, <c>true</c> or <c>null</c> is a
    /// number, a boolean or null; anything quoted, and any other text, a string.
    /// </summary>
    private void WriteJson(Utf8JsonWriter writer, YamlNode node, string field)
    {
        switch (node)
        {
            case YamlMap map:
                writer.WriteStartObject();
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (keyNode, value) in map.Entries)
                {
                    if (keyNode is not YamlText { IsNull: false } key)
                    {
                        Error(keyNode, field, $"a key of the payload must be text, got {Describe(keyNode)}", null);
                        continue;
                    }

                    if (!keys.Add(key.Value))
                    {
                        Error(keyNode, $"{field}.{key.Value}", "duplicate key in the payload", "remove one of them");
                        continue;
                    }

                    writer.WritePropertyName(key.Value);
                    WriteJson(writer, value, $"{field}.{key.Value}");
                }

                writer.WriteEndObject();
                break;
            case YamlList list:
                writer.WriteStartArray();
                for (var i = 0; i < list.Items.Count; i++)
                {
                    WriteJson(writer, list.Items[i], $"{field}[{i}]");
                }

                writer.WriteEndArray();
                break;
            case YamlText { IsNull: true }:
                writer.WriteNullValue();
                break;
            case YamlText { Plain: true, Value: "true" or "True" or "TRUE" }:
                writer.WriteBooleanValue(true);
                break;
            case YamlText { Plain: true, Value: "false" or "False" or "FALSE" }:
                writer.WriteBooleanValue(false);
                break;
            case YamlText { Plain: true } text when IntegerPattern().IsMatch(text.Value):
                writer.WriteRawValue(NormalizeInteger(text.Value));
                break;
            case YamlText { Plain: true } text when FloatPattern().IsMatch(text.Value):
                writer.WriteNumberValue(double.Parse(text.Value, NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
            case YamlText { Plain: true, Value: ".inf" or "-.inf" or "+.inf" or ".Inf" or "-.Inf" or ".nan" or ".NaN" } special:
                Error(special, field, $"'{special.Value}' has no JSON form", "quote it to send it as text");
                break;
            case YamlText text:
                writer.WriteStringValue(text.Value);
                break;
        }
    }

    /// <summary>"+007" → "7", "-0012" → "-12", "-0" → "0": the integer as JSON writes it.</summary>
    private static string NormalizeInteger(string text)
    {
        bool negative = text[0] == '-';
        string digits = text.TrimStart('+', '-').TrimStart('0');
        return digits.Length == 0 ? "0" : negative ? "-" + digits : digits;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
