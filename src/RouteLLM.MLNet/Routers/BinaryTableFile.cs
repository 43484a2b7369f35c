using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RouteLLM.MLNet.Routers;

/// <summary>
/// The framing of an ML.NET binary table (<c>.idv</c>): a 256-byte header, blocks, a table of contents and a tail
/// that repeats the signature reversed. Bounds are checked on every read.
/// </summary>
internal readonly ref struct BinaryTableFile
{
    private const int HeaderLength = 256;
    private static ReadOnlySpan<byte> Signature => "CML\0DVB\0"u8;
    private static ReadOnlySpan<byte> TailSignature => "\0BVD\0LMC"u8;

    private readonly ReadOnlySpan<byte> _content;

    public BinaryTableFile(ReadOnlySpan<byte> content) => _content = content;

    /// <summary>Checks the signatures and that the table has one column; returns its row count.</summary>
    public long Header(out long tableOfContents)
    {
        if (_content.Length < HeaderLength + TailSignature.Length || !_content.StartsWith(Signature) || !_content.EndsWith(TailSignature))
        {
            throw new InvalidDataException("not an ML.NET binary table (signature)");
        }

        tableOfContents = BinaryPrimitives.ReadInt64LittleEndian(_content[24..]);
        var rows = BinaryPrimitives.ReadInt64LittleEndian(_content[40..]);
        var columns = BinaryPrimitives.ReadInt32LittleEndian(_content[48..]);
        return columns == 1 && rows is >= 0 and <= int.MaxValue
            ? rows
            : throw new InvalidDataException($"{columns} columns and {rows} rows, not one column");
    }

    public ReadOnlySpan<byte> Bytes(ref long position, long count)
    {
        if (position < HeaderLength || count < 0 || position + count > _content.Length)
        {
            throw new InvalidDataException($"{count} bytes at offset {position} run outside the table");
        }

        var bytes = _content.Slice((int)position, (int)count);
        position += count;
        return bytes;
    }

    public long Int64(ref long position) => BinaryPrimitives.ReadInt64LittleEndian(Bytes(ref position, sizeof(long)));

    public int Int32(ref long position) => BinaryPrimitives.ReadInt32LittleEndian(Bytes(ref position, sizeof(int)));

    /// <summary>An unsigned LEB128 integer, as <see cref="BinaryWriter"/> writes string lengths.</summary>
    public int Leb128(ref long position)
    {
        var value = 0;
        for (var shift = 0; shift < 32; shift += 7)
        {
            var next = Bytes(ref position, 1)[0];
            value |= (next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value >= 0 ? value : throw new InvalidDataException("a length is negative");
            }
        }

        throw new InvalidDataException("a length runs over five bytes");
    }

    public string String(ref long position) => Encoding.UTF8.GetString(Bytes(ref position, Leb128(ref position)));

    /// <summary>Reads the block that the lookup entry at <paramref name="lookup"/> points to, and moves to the next entry.</summary>
    public byte[] Block(ref long lookup, bool deflated)
    {
        var offset = Int64(ref lookup);
        var stored = Int32(ref lookup);
        var length = Int32(ref lookup);
        var bytes = Bytes(ref offset, stored);
        if (!deflated)
        {
            return length == stored ? bytes.ToArray() : throw new InvalidDataException($"a stored block of {stored} bytes claims {length}");
        }

        var block = new byte[length];
        using var inflater = new DeflateStream(new MemoryStream(bytes.ToArray()), CompressionMode.Decompress);
        return inflater.ReadAtLeast(block, length, throwOnEndOfStream: false) == length && inflater.ReadByte() < 0
            ? block
            : throw new InvalidDataException($"a deflated block does not hold the {length} bytes it claims");
    }
}
