using System.Text.RegularExpressions;

namespace Serval.Core.Specs;

/// <summary>The <c>async</c> section: retries, maxAge and the two destinations.</summary>
internal sealed partial class SpecReader
{
    private const string AsyncExample = "async: { retries: 2, maxAge: 6h, onSuccess: other-function, onFailure: https://example.org/hook }";

    private AsyncSpec ReadAsync(YamlNode node, string? self)
    {
        var result = new AsyncSpec();
        if (Section(node, "async", AsyncExample) is not { } map)
        {
            return result;
        }

        foreach (var (key, _, value) in KnownEntries(map, "async", SpecKeys.Async, []))
        {
            switch (key)
            {
                case "retries" when WholeNumber(value, "async.retries", 0, AsyncSpec.MaxRetries, "retries after a failed run: 0 runs once, 2 (the default) up to three times") is { } retries:
                    result = result with { Retries = retries };
                    break;
                case "maxAge" when ReadDuration(value, "async.maxAge", TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)) is { } maxAge:
                    result = result with { MaxAge = maxAge };
                    break;
                case "onSuccess" when ReadDestination(value, "async.onSuccess", self) is { } destination:
                    result = result with { OnSuccess = destination };
                    break;
                case "onFailure" when ReadDestination(value, "async.onFailure", self) is { } destination:
                    result = result with { OnFailure = destination };
                    break;
            }
        }

        return result;
    }

    /// <summary>A function's name or an http(s) URL; not the function itself (each run would invoke it again).</summary>
    private Destination? ReadDestination(YamlNode node, string field, string? self)
    {
        const string hint = "a destination is a function's name (my-function) or a URL (https://example.org/hook)";
        if (Text(node, field, "a function name or a URL") is not { } text)
        {
            return null;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Host.Length == 0)
            {
                Error(node, field, $"must be an http:// or https:// URL, got '{text}'", hint);
                return null;
            }

            return new Destination(DestinationKind.Webhook, text);
        }

        if (!NamePattern().IsMatch(text))
        {
            Error(node, field, $"must be a function name (lower-case letters, digits and '-') or an http(s) URL, got '{text}'", hint);
            return null;
        }

        if (text == self)
        {
            Error(node, field, $"names the function itself ('{text}'): each of its runs would invoke it again", "send the record to another function or a URL");
            return null;
        }

        return new Destination(DestinationKind.Function, text);
    }
}
