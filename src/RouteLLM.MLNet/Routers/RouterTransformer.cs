using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Routers;

/// <summary>
/// A fitted router in an ML.NET pipeline: adds a <see cref="RouterTransformer.StrongWinRateColumnName"/> column,
/// P(strong model wins), read from the prompt (and its embedding, for routers that read one).
/// </summary>
/// <typeparam name="TModel">The trained router.</typeparam>
public sealed class RouterTransformer<TModel> : ITransformer
    where TModel : RouterModel
{
    private readonly MLContext _context;
    private readonly string _promptColumnName;
    private readonly string _embeddingColumnName;

    /// <summary>Wraps a trained router for use in a pipeline.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="model">The router.</param>
    /// <param name="promptColumnName">Text column with the prompt.</param>
    /// <param name="embeddingColumnName">Vector column with the prompt's embedding (read only if the router needs it).</param>
    public RouterTransformer(MLContext context, TModel model, string promptColumnName = "Prompt", string embeddingColumnName = "Embedding")
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(promptColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(embeddingColumnName);
        _context = context;
        Model = model;
        _promptColumnName = promptColumnName;
        _embeddingColumnName = embeddingColumnName;
    }

    /// <summary>The trained router (save it with <see cref="RouterZip.Save"/>).</summary>
    public TModel Model { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Fitted(inputSchema).GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Fitted(inputSchema).GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Fitted(input.Schema).Transform(input);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        "ML.NET's public API cannot persist a custom transformer (dotnet/machinelearning#4911). Save the router with RouterZip.Save(transformer.Model, path).");

    // CustomMapping's fit only checks the schema, so a schema-only view is enough to build the row mapper.
    private ITransformer Fitted(DataViewSchema schema) =>
        RouterTransformer.Mapping(_context, Model.Manifest.Embedder, _promptColumnName, _embeddingColumnName, Model).Fit(new SchemaOnlyDataView(schema));

    private sealed class SchemaOnlyDataView(DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => false;

        public DataViewSchema Schema { get; } = schema;

        public long? GetRowCount() => 0;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            throw new NotSupportedException("Schema-only view.");

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            throw new NotSupportedException("Schema-only view.");
    }
}

/// <summary>Column names and the row mapping shared by every <see cref="RouterTransformer{TModel}"/>.</summary>
public static class RouterTransformer
{
    /// <summary>Name of the output column: P(strong model wins), a float in [0, 1].</summary>
    public const string StrongWinRateColumnName = "StrongWinRate";

    /// <summary>The row mapping; with a null <paramref name="model"/> it only describes schemas.</summary>
    internal static IEstimator<ITransformer> Mapping(
        MLContext context, EmbedderInfo? embedder, string promptColumnName, string embeddingColumnName, RouterModel? model)
    {
        var output = SchemaDefinition.Create(typeof(ScoreRow));
        if (embedder is null)
        {
            var input = SchemaDefinition.Create(typeof(PromptRow));
            input[nameof(PromptRow.Prompt)].ColumnName = promptColumnName;
            return context.Transforms.CustomMapping<PromptRow, ScoreRow>(
                (src, dst) => dst.StrongWinRate = ScoreOne(model, src.Prompt, []), contractName: null, input, output);
        }

        var embedded = SchemaDefinition.Create(typeof(PromptEmbeddingRow));
        embedded[nameof(PromptEmbeddingRow.Prompt)].ColumnName = promptColumnName;
        embedded[nameof(PromptEmbeddingRow.Embedding)].ColumnName = embeddingColumnName;
        embedded[nameof(PromptEmbeddingRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, embedder.Dimension);
        return context.Transforms.CustomMapping<PromptEmbeddingRow, ScoreRow>(
            (src, dst) => dst.StrongWinRate = ScoreOne(model, src.Prompt, src.Embedding), contractName: null, embedded, output);
    }

    private static float ScoreOne(RouterModel? model, string prompt, ReadOnlySpan<float> embedding)
    {
        if (model is null)
        {
            throw new InvalidOperationException("Fit the router before transforming data.");
        }

        Span<float> score = stackalloc float[1];
        model.CalculateStrongWinRates([prompt], embedding, score);
        return score[0];
    }

    /// <summary>Input row of a router that reads only text.</summary>
    public sealed class PromptRow
    {
        /// <summary>The prompt.</summary>
        public string Prompt { get; set; } = "";
    }

    /// <summary>Input row of a router that reads an embedding.</summary>
    public sealed class PromptEmbeddingRow
    {
        /// <summary>The prompt.</summary>
        public string Prompt { get; set; } = "";

        /// <summary>The prompt's embedding.</summary>
        public float[] Embedding { get; set; } = [];
    }

    /// <summary>Output row.</summary>
    public sealed class ScoreRow
    {
        /// <summary>P(strong model wins).</summary>
        public float StrongWinRate { get; set; }
    }
}
