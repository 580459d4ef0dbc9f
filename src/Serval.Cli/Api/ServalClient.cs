using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Serval.Cli.Api;

/// <summary>
/// The platform's HTTP API as the CLI uses it. Every failure becomes a <see cref="CliException"/>
/// with one line: the server's <c>{"error"}</c> message, or why the server could not be reached.
/// </summary>
internal sealed class ServalClient : IDisposable
{
    // Deploys upload whole models and the first invocation may wait for a cold start; Ctrl+C cancels sooner.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly HttpClient _http;

    /// <summary>A client for <paramref name="baseUrl"/> sending <paramref name="key"/> (when given) as the bearer token of every call.</summary>
    public ServalClient(Uri baseUrl, string? key = null)
    {
        BaseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = Timeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("serval-cli", "1.0"));
        if (!string.IsNullOrEmpty(key))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    /// <summary>The platform's address, ending with '/'.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The path segment for a name: <c>a b</c> → <c>a%20b</c>.</summary>
    public static string Segment(string name) => Uri.EscapeDataString(name);

    /// <summary>GET a JSON document; a status other than 2xx fails with the server's message.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);
        await EnsureSuccessAsync(response, ct);
        return await ReadJsonAsync(response, ct);
    }

    /// <summary>Sends a request; fails only when the server cannot be reached (any status is returned).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            try
            {
                return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            }
            catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
            {
                throw new CliException($"cannot reach Serval at {Display}: is it running? (./serval up)");
            }
            catch (HttpRequestException e)
            {
                throw new CliException($"the request to Serval at {Display} failed: {e.Message}");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new CliException($"Serval at {Display} did not answer within {Timeout.TotalMinutes:0} minutes");
            }
        }
    }

    /// <summary>GETs <paramref name="path"/> and hands each line of the answer to <paramref name="line"/> as it arrives (a followed log), until the answer ends or <paramref name="ct"/> is cancelled.</summary>
    public async Task StreamLinesAsync(string path, Action<string> line, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new CliException($"cannot reach Serval at {Display}: is it running? (./serval up)");
        }

        using (response)
        {
            await EnsureSuccessAsync(response, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            try
            {
                while (await reader.ReadLineAsync(ct) is { } text)
                {
                    line(text);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Fails with the server's <c>{"error"}</c> message unless the status is 2xx.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException(await ErrorMessageAsync(response, ct));
        }
    }

    /// <summary>The first line of <paramref name="body"/>, cut at 200 characters: enough to name a problem in one line.</summary>
    public static string FirstLine(string body)
    {
        string first = body.Split('\n', 2)[0].Trim();
        return first.Length > 200 ? first[..200] + "…" : first;
    }

    /// <summary>The server's <c>{"error"}</c> message, or the status and the start of the body.</summary>
    public static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        string firstLine = FirstLine(body);

        string status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        return firstLine.Length == 0 ? status : $"{status}: {firstLine}";
    }

    /// <summary>The body as JSON; fails with one line when it is not.</summary>
    public async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException($"Serval at {Display} answered {response.RequestMessage?.RequestUri?.AbsolutePath} with something that is not JSON");
        }
    }

    /// <summary>True when the status is 404.</summary>
    public static bool IsNotFound(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.NotFound;

    public void Dispose() => _http.Dispose();

    private string Display => BaseUrl.ToString().TrimEnd('/');
}
