using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Serval.Server.Async;

/// <summary>The facts a destination record reports.</summary>
/// <param name="RequestId">The invocation's id.</param>
/// <param name="Function">Its function.</param>
/// <param name="Version">Its version.</param>
/// <param name="Condition"><c>Success</c>, <c>RetriesExhausted</c>, <c>EventAgeExceeded</c>, <c>BadInput</c>.</param>
/// <param name="InvokeCount">Runs made.</param>
/// <param name="Timestamp">When it ended.</param>
/// <param name="Request">The request as accepted.</param>
/// <param name="StatusCode">The last run's status: the function's answer, or the error's code.</param>
/// <param name="FunctionError">The last run's error, or null on success.</param>
/// <param name="ErrorClass"><c>function</c>, <c>timeout</c>, <c>system</c>, or null.</param>
/// <param name="Response">The last answer, or null when there was none.</param>
public sealed record RecordFacts(string RequestId, string Function, int Version, string Condition, int InvokeCount, DateTimeOffset Timestamp,
    StoredRequest Request, int StatusCode, string? FunctionError, string? ErrorClass, StoredResult? Response);

/// <summary>
/// The JSON record an <c>onSuccess</c>/<c>onFailure</c> destination receives:
/// <c>{version, timestamp, requestContext{requestId, function, version, condition, approximateInvokeCount},
/// requestPayload, responseContext{statusCode, functionError, errorClass}, responsePayload}</c>.
/// A JSON payload is embedded as JSON, a text one as a string, any other as base64 with
/// <c>requestPayloadEncoding</c>/<c>responsePayloadEncoding: "base64"</c> beside it.
/// </summary>
public static class DestinationRecords
{
    /// <summary>The record's bytes (UTF-8 JSON).</summary>
    public static byte[] Build(RecordFacts facts)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + facts.Request.Body.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteString("timestamp", facts.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteStartObject("requestContext");
            json.WriteString("requestId", facts.RequestId);
            json.WriteString("function", facts.Function);
            json.WriteNumber("version", facts.Version);
            json.WriteString("condition", facts.Condition);
            json.WriteNumber("approximateInvokeCount", facts.InvokeCount);
            json.WriteEndObject();
            WritePayload(json, "requestPayload", facts.Request.ContentType, facts.Request.Body);
            json.WriteStartObject("responseContext");
            json.WriteNumber("statusCode", facts.StatusCode);
            WriteNullable(json, "functionError", facts.FunctionError);
            WriteNullable(json, "errorClass", facts.ErrorClass);
            json.WriteEndObject();
            if (facts.Response is { } response)
            {
                WritePayload(json, "responsePayload", response.ContentType, response.Body);
            }
            else
            {
                json.WriteNull("responsePayload");
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a payload as JSON, text or base64 (see the class).</summary>
    public static void WritePayload(Utf8JsonWriter json, string name, string contentType, ReadOnlyMemory<byte> body)
    {
        switch (KindOf(contentType, body.Span))
        {
            case PayloadKind.Json:
                json.WritePropertyName(name);
                json.WriteRawValue(body.Span, skipInputValidation: true);
                break;
            case PayloadKind.Text:
                json.WriteString(name, body.Span);
                break;
            default:
                json.WriteBase64String(name, body.Span);
                json.WriteString(name + "Encoding", "base64");
                break;
        }
    }

    /// <summary>How a payload shows inside a JSON document: as JSON (a JSON type holding valid JSON), as text (a text type holding UTF-8), else as base64.</summary>
    public static PayloadKind KindOf(string contentType, ReadOnlySpan<byte> body) =>
        IsJson(contentType) && IsValidJson(body) ? PayloadKind.Json
        : IsText(contentType) && System.Text.Unicode.Utf8.IsValid(body) ? PayloadKind.Text
        : PayloadKind.Base64;

    /// <summary>True for <c>application/json</c> and <c>+json</c> types.</summary>
    public static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || contentType.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for <c>text/*</c>.</summary>
    public static bool IsText(string contentType) => contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="utf8"/> is one whole JSON value.</summary>
    public static bool IsValidJson(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(utf8);
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}

/// <summary>How a payload is written inside a JSON document (<see cref="DestinationRecords.KindOf"/>).</summary>
public enum PayloadKind
{
    /// <summary>As the JSON value it is.</summary>
    Json,

    /// <summary>As a JSON string.</summary>
    Text,

    /// <summary>As a base64 string, with a sibling <c>…Encoding: "base64"</c>.</summary>
    Base64,
}
