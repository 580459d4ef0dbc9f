using System.CommandLine;
using Serval.Cli.Api;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>What every command shares in one run: the console, the error writer, the clock and <c>--url</c>.</summary>
internal sealed class CliHost(IAnsiConsole console, TextWriter error, TimeProvider time)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string UrlVariable = "SERVAL_URL";

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

    /// <summary>A client for the URL this run names: <c>--url</c>, else <c>$SERVAL_URL</c>, else the default.</summary>
    public ServalClient Connect(ParseResult parse)
    {
        string url = parse.GetValue(UrlOption)
            ?? (Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } env ? env : DefaultUrl);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"--url: '{url}' is not an http:// or https:// address");
        }

        // A trailing '/' makes relative paths append to a base path (http://host/serval/ + v1/functions).
        return new ServalClient(new Uri(uri.AbsoluteUri.TrimEnd('/') + "/"));
    }
}
