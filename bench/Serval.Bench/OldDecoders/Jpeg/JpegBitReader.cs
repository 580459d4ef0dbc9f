using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>
/// Reads the entropy-coded bits of a scan: removes the 0x00 stuffed after each 0xFF and stops at
/// the next marker, after which it feeds zero bits (as libjpeg does) and counts them, so a scan
/// that needs more bits than the file holds is told apart from one that merely ends at a marker.
/// </summary>
internal ref struct JpegBitReader(ReadOnlySpan<byte> data, int position)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private ulong _bits; // the next bits, most significant first
    private int _count; // how many of _bits are valid, padding included
    private int _paddingBits; // zero bits fed after a marker or the end of the data

    /// <summary>Where the next unread byte is; at a marker, the marker's 0xFF.</summary>
    public int Position { get; private set; } = position;

    /// <summary>True when the reader stopped at a marker (rather than at the end of the data).</summary>
    public bool AtMarker { get; private set; }

    /// <summary>True when bits past the last byte of the file were used: the file is truncated.</summary>
    public readonly bool PastEnd => !AtMarker && _paddingBits > _count;

    /// <summary>Decodes one Huffman-coded symbol.</summary>
    public int Decode(HuffmanTable table)
    {
        if (_count < 16)
        {
            Fill();
        }

        int entry = table.Lookup[(int)(_bits >> (64 - HuffmanTable.LookupBits))];
        if (entry != 0)
        {
            int length = entry >> 8;
            _bits <<= length;
            _count -= length;
            return entry & 0xFF;
        }

        for (int length = HuffmanTable.LookupBits + 1; length <= 16; length++)
        {
            int code = (int)(_bits >> (64 - length));
            if (code <= table.MaxCode[length])
            {
                _bits <<= length;
                _count -= length;
                return table.Symbols[(code + table.SymbolOffset[length]) & 0xFF];
            }
        }

        throw new ImageFormatException($"the JPEG image data is corrupt: the bits before byte {Position} are no code of their Huffman table");
    }

    /// <summary>Reads <paramref name="n"/> (0–16) bits as an unsigned number.</summary>
    public int Bits(int n)
    {
        if (n == 0)
        {
            return 0;
        }

        if (_count < n)
        {
            Fill();
        }

        int value = (int)(_bits >> (64 - n));
        _bits <<= n;
        _count -= n;
        return value;
    }

    /// <summary>Reads one bit.</summary>
    public int Bit() => Bits(1);

    /// <summary>Reads an <paramref name="n"/>-bit coefficient and sign-extends it (JPEG's EXTEND): n = 3, bits 010 → -5.</summary>
    public int Signed(int n)
    {
        int value = Bits(n);
        return n == 0 || value >= 1 << (n - 1) ? value : value - (1 << n) + 1;
    }

    /// <summary>
    /// At a restart interval's end: drops the bits left in the current byte and passes the RSTn
    /// marker, skipping any stray bytes before it. Another marker is left in place for the caller.
    /// </summary>
    public void Restart()
    {
        _bits = 0;
        _count = 0;
        _paddingBits = 0;
        if (!AtMarker)
        {
            while (Position + 1 < _data.Length && !(_data[Position] == 0xFF && _data[Position + 1] is not 0 and not 0xFF))
            {
                Position++;
            }

            if (Position + 1 >= _data.Length)
            {
                Position = _data.Length; // no marker left: the data is cut
            }
        }

        if (Position + 1 < _data.Length && _data[Position + 1] is >= 0xD0 and <= 0xD7)
        {
            Position += 2;
            AtMarker = false;
        }
        else
        {
            AtMarker = Position < _data.Length; // another marker where RSTn belongs: the rest of the scan reads as zeros
        }
    }

    private void Fill()
    {
        while (_count <= 56)
        {
            ulong b = 0;
            if (AtMarker || Position >= _data.Length)
            {
                _paddingBits += 8;
            }
            else if (_data[Position] != 0xFF)
            {
                b = _data[Position++];
            }
            else if (Position + 1 < _data.Length && _data[Position + 1] == 0)
            {
                b = 0xFF;
                Position += 2;
            }
            else if (Position + 1 < _data.Length && _data[Position + 1] == 0xFF)
            {
                Position++; // fill bytes before a marker
                continue;
            }
            else if (Position + 1 < _data.Length)
            {
                AtMarker = true;
                _paddingBits += 8;
            }
            else
            {
                Position = _data.Length; // a lone 0xFF as the last byte: the data is cut
                _paddingBits += 8;
            }

            _bits |= b << (56 - _count);
            _count += 8;
        }
    }
}
