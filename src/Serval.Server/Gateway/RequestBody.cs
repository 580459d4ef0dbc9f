namespace Serval.Server.Gateway;

/// <summary>Reads a request body whole, refusing one over the limit before reading it where the length is known.</summary>
public static class RequestBody
{
    /// <summary>The body, or the 413 message.</summary>
    public static async Task<(byte[]? Body, string? TooLarge)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        string LimitText() => $"the request body is over the limit of {limit >> 20} MiB (raise it with --max-body-mb)";
        if (request.ContentLength is { } length)
        {
            if (length > limit)
            {
                return (null, LimitText());
            }

            byte[] body = new byte[length];
            await request.Body.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
            return (body, null);
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                return (null, LimitText());
            }

            buffer.Write(chunk, 0, n);
        }

        return (buffer.ToArray(), null);
    }
}
