using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers;

public sealed class MatrixTableTests
{
    [Fact]
    public void Reads_what_ml_net_saved_bit_for_bit_across_blocks()
    {
        const int rows = 20_000, columns = 3;
        var values = new float[rows * columns];
        var random = new Random(7);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.Int32BitsToSingle(random.Next());
        }

        float[] special = [float.NaN, -0f, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue];
        special.CopyTo(values, 0);
        var saved = Save(values, rows, columns);

        var read = MatrixTable.Read(saved, out var readRows, out var readColumns);

        Assert.Equal((rows, columns), (readRows, readColumns));
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), read.Select(BitConverter.SingleToInt32Bits));
        Assert.True(BlockCount(saved) > 1, "the table should span several blocks");
    }

    [Fact]
    public void Reads_the_committed_mf_router_as_ml_net_does()
    {
        using var archive = ZipFile.OpenRead(Path.Combine(SharedData.RepositoryRoot, "artifacts", "mf.zip"));
        foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(".idv", StringComparison.Ordinal)))
        {
            using var buffer = new MemoryStream();
            using (var stream = entry.Open())
            {
                stream.CopyTo(buffer);
            }

            var read = MatrixTable.Read(buffer.ToArray(), out var rows, out var columns);

            var expected = ReadWithMLNet(buffer.ToArray());
            Assert.Equal(expected.Count, rows);
            Assert.All(expected, row => Assert.Equal(columns, row.Length));
            Assert.Equal(expected.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits), read.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Corrupt_or_truncated_tables_are_invalid_data()
    {
        var saved = Save([1f, 2f, 3f, 4f], 2, 2);
        var extraRow = saved.ToArray();
        extraRow[40] = 3;
        var truncatedBlock = saved.ToArray();
        truncatedBlock.AsSpan(256, 40).Clear();

        Assert.Throws<InvalidDataException>(() => MatrixTable.Read(saved.AsSpan(0, saved.Length - 20), out _, out _));
        Assert.Throws<InvalidDataException>(() => MatrixTable.Read(extraRow, out _, out _));
        Assert.Throws<InvalidDataException>(() => MatrixTable.Read(truncatedBlock, out _, out _));
        Assert.Throws<InvalidDataException>(() => MatrixTable.Read(new byte[300], out _, out _));
    }

    private static byte[] Save(float[] values, int rows, int columns)
    {
        using var buffer = new MemoryStream();
        new MLContext(seed: 0).Data.SaveAsBinary(MatrixTable.ToDataView(values, rows, columns), buffer);
        return buffer.ToArray();
    }

    private static List<float[]> ReadWithMLNet(byte[] saved)
    {
        var data = new MLContext(seed: 0).Data.LoadFromBinary(new BytesStreamSource(saved));
        var column = data.Schema["Row"];
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> row = default;
        var rows = new List<float[]>();
        while (cursor.MoveNext())
        {
            getter(ref row);
            rows.Add(row.DenseValues().ToArray());
        }

        return rows;
    }

    private static int BlockCount(byte[] saved)
    {
        var data = new MLContext(seed: 0).Data.LoadFromBinary(new BytesStreamSource(saved));
        return data.GetRowCount() is { } count ? (int)Math.Ceiling(count / (double)RowsPerBlock(saved)) : 0;
    }

    // The table of contents' one column: name, codec, codec parameters, compression byte, then rows per block.
    private static int RowsPerBlock(byte[] saved)
    {
        using var reader = new BinaryReader(new MemoryStream(saved));
        reader.BaseStream.Position = BitConverter.ToInt64(saved, 24);
        reader.ReadString();
        reader.ReadString();
        reader.ReadBytes(reader.Read7BitEncodedInt());
        reader.ReadByte();
        return reader.Read7BitEncodedInt();
    }
}
