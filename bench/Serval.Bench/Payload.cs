using System.Net.Http.Headers;
using System.Runtime.InteropServices;

namespace Serval.Bench;

/// <summary>A fixed FP32 input and the raw-body request that carries it.</summary>
public sealed class Payload(long[] shape, int seed = 11)
{
    /// <summary>The shape.</summary>
    public long[] Shape { get; } = shape;

    /// <summary>The elements.</summary>
    public float[] Values { get; } = Make(shape, seed);

    /// <summary>The elements as bytes.</summary>
    public byte[] Bytes => MemoryMarshal.AsBytes(Values.AsSpan()).ToArray();

    /// <summary>A raw-body request to <paramref name="path"/> with the shape in <paramref name="shapeHeader"/>.</summary>
    public HttpRequestMessage Request(string path, string shapeHeader = "X-Serval-Shape")
    {
        var content = new ByteArrayContent(Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(shapeHeader, string.Join(",", Shape));
        return request;
    }

    /// <summary>Reads a response body into a reused buffer, as a client that keeps its buffers would.</summary>
    public static async Task<int> DrainAsync(HttpResponseMessage response)
    {
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int total = 0, n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                total += n;
            }

            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static float[] Make(long[] shape, int seed)
    {
        var random = new Random(seed);
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }
}
