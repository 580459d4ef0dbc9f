using System.Buffers.Binary;
using System.Text;

namespace Serval.Sdk;

/// <summary>
/// A list of items with shared metadata: what a plan step returns for the next step to <c>map</c>
/// over, and what the plan gathers the mapped results into (in the original order, the metadata
/// carried through). A handler answers one with <see cref="FunctionResponse.Items"/> and reads one
/// with <see cref="Parse"/>.
/// </summary>
/// <remarks>
/// The encoding, little-endian: <c>"SVIL"</c>, a format byte (1), the metadata's length (u32) and
/// bytes, the item count (u32), then per item a status byte (0 ok, 1 failed: the bytes are the
/// error message in UTF-8), its length (u32) and bytes. Binary, so tensors and crops travel
/// without base64.
/// </remarks>
public sealed class ItemList
{
    /// <summary>The content type of an encoded list.</summary>
    public const string ContentType = "application/vnd.serval.items";

    private static ReadOnlySpan<byte> Magic => "SVIL"u8;

    private const byte Format = 1;

    private readonly ReadOnlyMemory<byte>[] _items;
    private readonly string?[] _errors;

    private ItemList(ReadOnlyMemory<byte> meta, ReadOnlyMemory<byte>[] items, string?[] errors)
    {
        Meta = meta;
        _items = items;
        _errors = errors;
    }

    /// <summary>The metadata (often JSON), empty when none.</summary>
    public ReadOnlyMemory<byte> Meta { get; }

    /// <summary>The number of items.</summary>
    public int Count => _items.Length;

    /// <summary>Item <paramref name="index"/>'s bytes (empty for a failed item).</summary>
    public ReadOnlyMemory<byte> this[int index] => _items[index];

    /// <summary>Why item <paramref name="index"/> failed, or null when it did not (a plan with <c>partial: true</c> keeps failed items).</summary>
    public string? Error(int index) => _errors[index];

    /// <summary>True when <paramref name="contentType"/> is <see cref="ContentType"/>.</summary>
    public static bool IsItemList(string? contentType) =>
        contentType is not null && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Encodes a list whose items all succeeded.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> meta, IReadOnlyList<ReadOnlyMemory<byte>> items) =>
        Encode(meta, items, null);

    /// <summary>Encodes a list; <paramref name="errors"/>[i], where not null, marks item i failed with that message.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> meta, IReadOnlyList<ReadOnlyMemory<byte>> items, IReadOnlyList<string?>? errors)
    {
        if (errors is not null && errors.Count != items.Count)
        {
            throw new ArgumentException($"{errors.Count} error slots for {items.Count} items", nameof(errors));
        }

        var encodedErrors = new byte[items.Count][];
        long size = Magic.Length + 1 + 4 + meta.Length + 4;
        for (int i = 0; i < items.Count; i++)
        {
            encodedErrors[i] = errors?[i] is { } error ? Encoding.UTF8.GetBytes(error) : [];
            size += 1 + 4 + (errors?[i] is null ? items[i].Length : encodedErrors[i].Length);
        }

        var buffer = new byte[checked((int)size)];
        Span<byte> span = buffer;
        Magic.CopyTo(span);
        span[4] = Format;
        int at = 5;
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)meta.Length);
        meta.CopyTo(span[(at + 4)..]);
        at += 4 + meta.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)items.Count);
        at += 4;
        for (int i = 0; i < items.Count; i++)
        {
            bool failed = errors?[i] is not null;
            ReadOnlySpan<byte> bytes = failed ? encodedErrors[i] : items[i].Span;
            span[at] = failed ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 1)..], (uint)bytes.Length);
            bytes.CopyTo(span[(at + 5)..]);
            at += 5 + bytes.Length;
        }

        return buffer;
    }

    /// <summary>Reads an encoded list; the items are slices of <paramref name="data"/> (no copies).</summary>
    /// <exception cref="FormatException">The data is not an item list, or is cut short.</exception>
    public static ItemList Parse(ReadOnlyMemory<byte> data)
    {
        ReadOnlySpan<byte> span = data.Span;
        if (span.Length < 13 || !span[..4].SequenceEqual(Magic))
        {
            throw new FormatException($"not an item list ({ContentType}): it does not start with 'SVIL'");
        }

        if (span[4] != Format)
        {
            throw new FormatException($"item list format {span[4]} is not known (this reader knows {Format})");
        }

        int at = 5;
        ReadOnlyMemory<byte> meta = Slice(data, ref at, "the metadata");
        uint count = ReadLength(span, at, "the item count");
        at += 4;
        if (count > (uint)(span.Length - at) / 5)
        {
            throw new FormatException($"the item list claims {count} items but holds {span.Length - at} bytes after its header");
        }

        var items = new ReadOnlyMemory<byte>[count];
        var errors = new string?[count];
        for (int i = 0; i < count; i++)
        {
            byte status = span[at];
            if (status > 1)
            {
                throw new FormatException($"item {i} has status byte {status} (0 or 1 expected)");
            }

            at++;
            ReadOnlyMemory<byte> bytes = Slice(data, ref at, $"item {i}");
            if (status == 1)
            {
                errors[i] = Encoding.UTF8.GetString(bytes.Span);
            }
            else
            {
                items[i] = bytes;
            }
        }

        if (at != span.Length)
        {
            throw new FormatException($"the item list has {span.Length - at} bytes after its last item");
        }

        return new ItemList(meta, items, errors);
    }

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> data, ref int at, string what)
    {
        uint length = ReadLength(data.Span, at, what);
        at += 4;
        if (length > (uint)(data.Length - at))
        {
            throw new FormatException($"{what} claims {length} bytes but only {data.Length - at} remain");
        }

        ReadOnlyMemory<byte> slice = data.Slice(at, (int)length);
        at += (int)length;
        return slice;
    }

    private static uint ReadLength(ReadOnlySpan<byte> span, int at, string what) =>
        at + 4 <= span.Length
            ? BinaryPrimitives.ReadUInt32LittleEndian(span[at..])
            : throw new FormatException($"the item list is cut short before the length of {what}");
}
