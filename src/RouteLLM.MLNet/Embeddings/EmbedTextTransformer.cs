using Microsoft.Extensions.AI;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Adds a fixed-size float vector column holding each row's text embedding. <see cref="Transform"/> reads the text
/// column once, embeds its distinct texts in calls of up to <see cref="TextsPerCall"/> texts, then maps rows to their
/// vectors; a row-to-row mapper (prediction engines) embeds each row as it comes.
/// </summary>
public sealed class EmbedTextTransformer : ITransformer
{
    /// <summary>Texts per call to the generator: bounded so that remote embedders' request limits hold.</summary>
    public const int TextsPerCall = 1024;

    private readonly MLContext _context;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;

    internal EmbedTextTransformer(
        MLContext context, IEmbeddingGenerator<string, Embedding<float>> generator, string outputColumnName, string inputColumnName)
    {
        _context = context;
        _generator = generator;
        Embedder = EmbedderInfo.From(generator);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    /// <summary>The embedder, to record in a router trainer's options (<c>Options.Embedder</c>).</summary>
    public EmbedderInfo Embedder { get; }

    /// <summary>The vector column added.</summary>
    public string OutputColumnName { get; }

    /// <summary>The text column read.</summary>
    public string InputColumnName { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return Fitted(EmbedOne).GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return Fitted(EmbedOne).GetRowToRowMapper(inputSchema);
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        var vectors = EmbedDistinct(input);
        return Fitted(text => vectors[text]).Transform(input);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        "ML.NET's public API cannot persist a custom transformer (dotnet/machinelearning#4911); recreate it with EmbedText(generator).");

    /// <summary>The row mapping, as an estimator; <paramref name="embed"/> gives a text's vector.</summary>
    internal IEstimator<ITransformer> Mapping(Func<string, float[]> embed)
    {
        var output = SchemaDefinition.Create(typeof(VectorRow));
        var vector = output[nameof(VectorRow.Vector)];
        vector.ColumnName = OutputColumnName;
        vector.ColumnType = new VectorDataViewType(NumberDataViewType.Single, Embedder.Dimension);
        return _context.Transforms.CustomMapping<TextRow, VectorRow>((src, dst) => dst.Vector = embed(src.Text), contractName: null, InputSchema(), output);
    }

    internal void CheckInput(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(InputColumnName)
            ?? throw new ArgumentException($"EmbedText: the input has no text column '{InputColumnName}'. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not TextDataViewType)
        {
            throw new ArgumentException($"EmbedText: column '{InputColumnName}' has type {column.Type}, not text.");
        }
    }

    // CustomMapping's fit only binds the input column, so an empty view with that one column fits it.
    private ITransformer Fitted(Func<string, float[]> embed) =>
        Mapping(embed).Fit(_context.Data.LoadFromEnumerable(Array.Empty<TextRow>(), InputSchema()));

    private SchemaDefinition InputSchema()
    {
        var input = SchemaDefinition.Create(typeof(TextRow));
        input[nameof(TextRow.Text)].ColumnName = InputColumnName;
        return input;
    }

    private Dictionary<string, float[]> EmbedDistinct(IDataView input)
    {
        var texts = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var column = input.Schema[InputColumnName];
        using (var cursor = input.GetRowCursor([column]))
        {
            var getText = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> text = default;
            while (cursor.MoveNext())
            {
                getText(ref text);
                var value = text.ToString();
                if (seen.Add(value))
                {
                    texts.Add(value);
                }
            }
        }

        var vectors = new Dictionary<string, float[]>(texts.Count, StringComparer.Ordinal);
        foreach (var chunk in texts.Chunk(TextsPerCall))
        {
            foreach (var (text, vector) in chunk.Zip(Generate(chunk)))
            {
                vectors[text] = vector;
            }
        }

        return vectors;
    }

    private float[] EmbedOne(string text) => Generate([text])[0];

    // ML.NET's API is synchronous; the call runs on the thread pool so that no caller's synchronisation context is captured.
    private float[][] Generate(string[] texts)
    {
        var embedded = Task.Run(() => EmbeddedTexts.EmbedAsync(_generator, texts, Embedder.Dimension)).GetAwaiter().GetResult();
        return [.. embedded.Values.Chunk(Embedder.Dimension)];
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class VectorRow
    {
        public float[] Vector { get; set; } = [];
    }
}
