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
/// str = u32 byte length + UTF-8; tensor = str name, u8 type, u8 rank, i64 dims,
///       then u64 byte length + bytes, or for strings u32 count + str each
/// </code>
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

        if (kind is < FrameKind.Invoke or > FrameKind.Cancel)
        {
            throw new InvalidDataException($"unknown frame kind {(byte)kind}");
        }

        return (kind, BinaryPrimitives.ReadUInt64LittleEndian(source[5..]), length);
    }
}
