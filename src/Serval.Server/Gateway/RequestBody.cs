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

        // No length given (chunked): grow a pooled buffer, refusing the body once it passes the limit.
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        int filled = 0;
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += n;
                if (filled > limit)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    return (null, LimitText(limit));
                }

                if (filled == buffer.Length)
                {
                    byte[] bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
            }
        }
        catch
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return (new PooledBody(buffer, filled), null);
    }

    private static string LimitText(long limit) => $"the request body is over the limit of {limit >> 20} MiB (raise it with --max-body-mb)";
}
