using System.Globalization;
using System.Text.Json;
using Serval.Imaging;

namespace Serval.Examples.Ocr;

/// <summary>Why an input could not become a picture: the answer is a 400 with this message.</summary>
public sealed class BadImageException(string message) : Exception(message);

/// <summary>
/// The picture of a <c>/predict</c> request, <c>{"jsonData": "&lt;base64 or URL&gt;"}</c>: base64 is
/// decoded, an http(s) URL is fetched within limits; either way the bytes are decoded as PNG or
/// JPEG under a pixel limit. The limits come from the function's <c>env</c>:
/// <list type="bullet">
/// <item><c>OCR_MAX_PIXELS</c>: the largest picture, in pixels (default 40,000,000);</item>
/// <item><c>OCR_URL_HOSTS</c>: the hosts a URL may name, comma-separated (default none: URLs are refused);</item>
/// <item><c>OCR_URL_SCHEMES</c>: <c>https</c> (default) or <c>https,http</c>;</item>
/// <item><c>OCR_URL_MAX_BYTES</c> (default 20 MB) and <c>OCR_URL_TIMEOUT_MS</c> (default 5000).</item>
/// </list>
/// </summary>
public sealed class ImageInput
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) });

    private readonly ImageLimits _limits;
    private readonly HashSet<string> _hosts;
    private readonly HashSet<string> _schemes;
    private readonly long _maxUrlBytes;
    private readonly TimeSpan _urlTimeout;

    /// <summary>Reads the limits from <paramref name="environment"/> (a variable → value lookup).</summary>
    public ImageInput(Func<string, string?> environment)
    {
        _limits = new ImageLimits { MaxPixels = Number(environment, "OCR_MAX_PIXELS", 40_000_000) };
        _hosts = Set(environment("OCR_URL_HOSTS"));
        _schemes = Set(environment("OCR_URL_SCHEMES") ?? "https");
        _maxUrlBytes = Number(environment, "OCR_URL_MAX_BYTES", 20 << 20);
        _urlTimeout = TimeSpan.FromMilliseconds(Number(environment, "OCR_URL_TIMEOUT_MS", 5000));
    }

    /// <summary>The picture of a predict request's JSON body.</summary>
    /// <exception cref="BadImageException">The body, the URL or the picture is not acceptable; the message says why.</exception>
    public async Task<RgbImage> ReadAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        string data = JsonData(body);
        byte[] bytes = data.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || data.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? await FetchAsync(data, cancellationToken).ConfigureAwait(false)
            : Base64(data);
        try
        {
            return ImageDecoder.Decode(bytes, _limits);
        }
        catch (ImageFormatException e)
        {
            throw new BadImageException(e.Message);
        }
    }

    private static string JsonData(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("jsonData", out JsonElement value)
                && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!.Trim();
            }
        }
        catch (JsonException e)
        {
            throw new BadImageException($"the body is not JSON ({e.Message}): send {{\"jsonData\": \"<base64 of a PNG, JPEG or WebP, or its URL>\"}}");
        }

        throw new BadImageException("the body has no string field 'jsonData': send {\"jsonData\": \"<base64 of a PNG, JPEG or WebP, or its URL>\"}");
    }

    private static byte[] Base64(string data)
    {
        // Data URLs ("data:image/png;base64,....") are common from browsers: take what follows the comma.
        int comma = data.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? data.IndexOf(',', StringComparison.Ordinal) : -1;
        string text = comma >= 0 ? data[(comma + 1)..] : data;
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new BadImageException($"jsonData is neither base64 nor an http(s) URL (it starts with '{(text.Length > 16 ? text[..16] + "..." : text)}')");
        }
    }

    private async Task<byte[]> FetchAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            throw new BadImageException($"'{url}' is not a valid URL");
        }

        if (!_schemes.Contains(uri.Scheme))
        {
            throw new BadImageException($"URLs with scheme '{uri.Scheme}' are not allowed (allowed: {string.Join(", ", _schemes)}; set OCR_URL_SCHEMES)");
        }

        if (!_hosts.Contains(uri.Host))
        {
            throw new BadImageException(_hosts.Count == 0
                ? "image URLs are not allowed by this function's configuration (set OCR_URL_HOSTS to the hosts it may fetch from)"
                : $"host '{uri.Host}' is not allowed (allowed: {string.Join(", ", _hosts.Order(StringComparer.Ordinal))}; set OCR_URL_HOSTS)");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_urlTimeout);
        try
        {
            using HttpResponseMessage response = await Http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new BadImageException($"fetching {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > _maxUrlBytes)
            {
                throw new BadImageException($"the image at {uri} is {response.Content.Headers.ContentLength} bytes, over the limit of {_maxUrlBytes} (OCR_URL_MAX_BYTES)");
            }

            await using Stream stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _maxUrlBytes)
                {
                    throw new BadImageException($"the image at {uri} is over the limit of {_maxUrlBytes} bytes (OCR_URL_MAX_BYTES)");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BadImageException($"fetching {uri} took longer than {_urlTimeout.TotalMilliseconds:0} ms (OCR_URL_TIMEOUT_MS)");
        }
        catch (HttpRequestException e)
        {
            throw new BadImageException($"fetching {uri} failed: {e.Message}");
        }
    }

    private static HashSet<string> Set(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static long Number(Func<string, string?> environment, string name, long fallback) =>
        long.TryParse(environment(name), NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0 ? value : fallback;
}
