using System.CommandLine;
using Serval.Cli.Api;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>What every command shares in one run: the console, the error writer, the clock, <c>--url</c> and <c>--key</c>.</summary>
internal sealed class CliHost(IAnsiConsole console, TextWriter error, TimeProvider time)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string UrlVariable = "SERVAL_URL";
    public const string KeyVariable = "SERVAL_KEY";

    /// <summary>Tables, results and progress.</summary>
    public IAnsiConsole Console { get; } = console;

    /// <summary>Failure lines.</summary>
    public TextWriter Error { get; } = error;

    public TimeProvider Time { get; } = time;

    /// <summary><c>--url</c>, on every command.</summary>
    public Option<string?> UrlOption { get; } = new("--url")
    {
        Description = $"the platform's address (default {DefaultUrl}, or ${UrlVariable})",
        Recursive = true,
        HelpName = "URL",
    };

    /// <summary><c>--key</c>, on every command: sent as <c>Authorization: Bearer KEY</c>.</summary>
    public Option<string?> KeyOption { get; } = new("--key")
    {
        Description = $"the API key to send (default ${KeyVariable}; needed when the platform runs with auth on)",
        Recursive = true,
        HelpName = "KEY",
    };

    /// <summary>
    /// A client for the URL this run names (<c>--url</c>, else <c>$SERVAL_URL</c>, else the default)
    /// sending the key it names (<c>--key</c>, else <c>$SERVAL_KEY</c>, else none).
    /// </summary>
    public ServalClient Connect(ParseResult parse)
    {
        string url = parse.GetValue(UrlOption)
            ?? (Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } env ? env : DefaultUrl);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"--url: '{url}' is not an http:// or https:// address");
        }

        // A trailing '/' makes relative paths append to a base path (http://host/serval/ + v1/functions).
        string? key = parse.GetValue(KeyOption) ?? (Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } envKey ? envKey : null);
        return new ServalClient(new Uri(uri.AbsoluteUri.TrimEnd('/') + "/"), key?.Trim());
    }
}
