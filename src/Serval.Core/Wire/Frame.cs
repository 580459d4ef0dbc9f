using System.Buffers.Binary;

namespace Serval.Core.Wire;

/// <summary>What a frame carries.</summary>
public enum FrameKind : byte
{
    /// <summary>Platform → instance: run one invocation.</summary>
    Invoke = 1,
    /// <summary>Instance → platform: the invocation's answer.</summary>
    Result = 2,
    /// <summary>Instance → platform: the invocation failed.</summary>
    Error = 3,
    /// <summary>Platform → instance: the caller gave up; stop the invocation if it can be stopped.</summary>
    Cancel = 4,
    /// <summary>Platform → pooled instance, first frame of its first connection: the function to load (id 0, body the <see cref="InstanceConfig"/> JSON).</summary>
    Assign = 5,
}

/// <summary>Which kind of invocation an <see cref="FrameKind.Invoke"/> frame carries.</summary>
public enum InvokeOperation : byte
{
    /// <summary>Named tensors in, named tensors out (the Open Inference Protocol).</summary>
    Infer = 1,
    /// <summary>An HTTP-like body in, a body out (<c>/fn/{name}</c> and <c>/predict</c> on handler runtimes).</summary>
    Raw = 2,
}

/// <summary>
/// The instance protocol's framing, over a Unix domain socket. Every frame is a 13-byte header —
/// u32 body length, u8 <see cref="FrameKind"/>, u64 invocation id, little-endian — followed by the
/// body. Ids let many invocations share one connection, answered in any order.
/// <code>
/// Invoke  body: u8 operation, u32 timeout ms (0 = none), then InferRequest or RawRequest
/// Result  body: u8 operation, then InferResponse or RawResponse
/// Error   body: u16 ErrorKind, str message
/// Cancel  body: empty
/// Assign  body: the InstanceConfig as UTF-8 JSON (no length prefix: the frame length is its length)
/// str = u32 byte length + UTF-8; tensor = str name, u8 type, u8 rank, i64 dims,
///       then u64 byte length + bytes, or for strings u32 count + str each
/// </code>
/// <para>
/// A pooled instance (<c>serval-instance --pool --socket PATH</c>) has started the runtime and the
/// ONNX Runtime environment but no function; it listens on PATH and prints <c>SERVAL-POOLED</c>. The
/// node agent connects to PATH and sends one Assign frame (id 0). The instance then loads and warms
/// up exactly as a started one would, prints its <c>SERVAL-READY</c> (or <c>SERVAL-FAILED</c>) line,
/// and serves the normal protocol on that same connection, and on any later one to PATH: the
/// config's socket path is PATH. An Assign frame at any other time is a protocol error.
/// </para>
/// </summary>
public static class Frame
{
    /// <summary>Bytes before the body.</summary>
    public const int HeaderSize = 13;

    /// <summary>Largest body accepted (1 GiB): a corrupt length fails fast instead of allocating.</summary>
    public const int MaxBodySize = 1 << 30;

    /// <summary>Writes a header into the first <see cref="HeaderSize"/> bytes of <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, FrameKind kind, ulong id, int bodyLength)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, bodyLength);
        destination[4] = (byte)kind;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[5..], id);
    }

    /// <summary>Reads a header; throws <see cref="InvalidDataException"/> on a length or kind that cannot be.</summary>
    public static (FrameKind Kind, ulong Id, int BodyLength) ReadHeader(ReadOnlySpan<byte> source)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(source);
        var kind = (FrameKind)source[4];
        if (length < 0 || length > MaxBodySize)
        {
            throw new InvalidDataException($"frame body length {length} is out of range");
        }

        if (kind is < FrameKind.Invoke or > FrameKind.Assign)
        {
            throw new InvalidDataException($"unknown frame kind {(byte)kind}");
        }

        return (kind, BinaryPrimitives.ReadUInt64LittleEndian(source[5..]), length);
    }
}
