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

    public static float[] FromDataView(IDataView data, out int rows, out int columns)
    {
        var column = data.Schema.GetColumnOrNull(Column)
            ?? throw new InvalidOperationException($"no '{Column}' column");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: > 0 } vector
            || vector.ItemType != NumberDataViewType.Single)
        {
            throw new InvalidOperationException($"column '{Column}' is {column.Type}, not a fixed-size float vector");
        }

        columns = vector.Size;
        var values = new List<float>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> row = default;
        rows = 0;
        while (cursor.MoveNext())
        {
            getter(ref row);
            foreach (var value in row.DenseValues())
            {
                values.Add(value);
            }

            rows++;
        }

        return [.. values];
    }

    private sealed class MatrixRow
    {
        public float[] Row { get; set; } = [];
    }
}
