namespace Serval.Server.Gateway;

/// <summary>A request body in a pooled array; <see cref="Dispose"/> gives the array back.</summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _array;

    internal PooledBody(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    /// <summary>The body's length.</summary>
    public int Length { get; }

    /// <summary>The body (valid until disposal).</summary>
    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { Length: > 0 } array)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(array);
        }
    }
}

/// <summary>Reads a request body whole, refusing one over the limit before reading it where the length is known.</summary>
public static class RequestBody
{
    /// <summary>
    /// The body in a pooled array (dispose it once the invocation no longer needs it), or the 413 message.
    /// Pooled because a body is often over 85 kB, and a fresh array per request would churn the large object heap.
    /// </summary>
    public static async Task<(PooledBody? Body, string? TooLarge)> ReadPooledAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            if (length > limit)
            {
                return (null, LimitText(limit));
            }

            byte[] array = length == 0 ? [] : System.Buffers.ArrayPool<byte>.Shared.Rent((int)length);
            var body = new PooledBody(array, (int)length);
            try
            {
                await request.Body.ReadExactlyAsync(array.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                body.Dispose();
                throw;
            }

            return (body, null);
        }

        var (whole, tooLarge) = await ReadAsync(request, limit, cancellationToken).ConfigureAwait(false);
        return whole is null ? (null, tooLarge) : (new PooledBody(whole, whole.Length), null);
    }

    private static string LimitText(long limit) => $"the request body is over the limit of {limit >> 20} MiB (raise it with --max-body-mb)";

    /// <summary>The body, or the 413 message.</summary>
    public static async Task<(byte[]? Body, string? TooLarge)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        string LimitText() => RequestBody.LimitText(limit);
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
