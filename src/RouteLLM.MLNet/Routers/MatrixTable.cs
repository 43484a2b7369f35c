using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace RouteLLM.MLNet.Routers;

/// <summary>A float matrix as an ML.NET table: one fixed-size vector column, one row per matrix row.</summary>
internal static class MatrixTable
{
    private const string Column = "Row";

    public static IDataView ToDataView(ReadOnlySpan<float> values, int rows, int columns)
    {
        var data = new List<MatrixRow>(rows);
        for (var r = 0; r < rows; r++)
        {
            data.Add(new MatrixRow { Row = values.Slice(r * columns, columns).ToArray() });
        }

        var schema = SchemaDefinition.Create(typeof(MatrixRow));
        schema[Column].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns);
        return new MLContext(seed: 0).Data.LoadFromEnumerable(data, schema);
    }

    /// <summary>
    /// Reads the bytes <see cref="ToDataView"/> saved through ML.NET's binary saver, without ML.NET: a cold
    /// process that only scores would otherwise start an <see cref="MLContext"/> and its data pipeline for a few
    /// float arrays. Only what the saver writes for this one table is accepted: one dense fixed-size float vector
    /// column named <c>Row</c>, blocks stored or deflated.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not such a table.</exception>
    public static float[] Read(ReadOnlySpan<byte> content, out int rows, out int columns)
    {
        var file = new BinaryTableFile(content);
        var rowCount = file.Header(out var tableOfContents);
        var position = tableOfContents;
        var column = file.String(ref position);
        var codec = file.String(ref position);
        var parameters = file.Bytes(ref position, file.Leb128(ref position));
        columns = FloatVectorSize(parameters);
        if (column != Column || codec != "VBuffer" || columns <= 0)
        {
            throw new InvalidDataException($"column '{column}' ({codec}) is not a fixed-size float vector column '{Column}'");
        }

        var compression = file.Bytes(ref position, 1)[0];
        var rowsPerBlock = file.Leb128(ref position);
        var lookup = file.Int64(ref position);
        if (compression > 1 || rowsPerBlock <= 0)
        {
            throw new InvalidDataException($"compression {compression} or {rowsPerBlock} rows per block is not supported");
        }

        rows = checked((int)rowCount);
        var values = new float[checked(rows * columns)];
        for (var first = 0; first < rows; first += rowsPerBlock)
        {
            var blockRows = Math.Min(rowsPerBlock, rows - first);
            var block = file.Block(ref lookup, deflated: compression == 1);
            ReadDenseRows(block, blockRows, columns, values.AsSpan(first * columns, blockRows * columns));
        }

        return values;
    }

    // VBuffer codec parameters: the item codec's name, its (empty) parameters, then the dimensions.
    private static int FloatVectorSize(ReadOnlySpan<byte> parameters)
    {
        ReadOnlySpan<byte> expected = [6, .. "Single"u8, 0, 1, 0, 0, 0];
        return parameters.Length == expected.Length + sizeof(int) && parameters.StartsWith(expected)
            ? BinaryPrimitives.ReadInt32LittleEndian(parameters[expected.Length..])
            : 0;
    }

    // A block: vector count, fixed size, one count per vector (-1 when dense), index count, then the values.
    private static void ReadDenseRows(ReadOnlySpan<byte> block, int rows, int columns, Span<float> destination)
    {
        var header = sizeof(int) * (3 + rows);
        if (block.Length != header + sizeof(float) * destination.Length
            || BinaryPrimitives.ReadInt32LittleEndian(block) != rows
            || BinaryPrimitives.ReadInt32LittleEndian(block[4..]) != columns
            || BinaryPrimitives.ReadInt32LittleEndian(block[(header - sizeof(int))..]) != 0)
        {
            throw new InvalidDataException($"a block does not hold {rows} dense rows of {columns} floats");
        }

        for (var r = 0; r < rows; r++)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(block[(8 + sizeof(int) * r)..]) != -1)
            {
                throw new InvalidDataException("a row is sparse");
            }
        }

        MemoryMarshal.Cast<byte, float>(block[header..]).CopyTo(destination);
    }

    private sealed class MatrixRow
    {
        public float[] Row { get; set; } = [];
    }
}
