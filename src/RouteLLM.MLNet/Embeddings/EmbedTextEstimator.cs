using Microsoft.Extensions.AI;
using Microsoft.ML;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Estimator for <see cref="EmbedTextTransformer"/>: nothing to learn, <see cref="Fit"/> checks the text column.
/// Created by <c>mlContext.Routing().Transforms.EmbedText(generator)</c>.
/// </summary>
public sealed class EmbedTextEstimator : IEstimator<EmbedTextTransformer>
{
    private readonly EmbedTextTransformer _transformer;

    internal EmbedTextEstimator(
        MLContext context, IEmbeddingGenerator<string, Embedding<float>> generator, string outputColumnName, string inputColumnName) =>
        _transformer = new EmbedTextTransformer(context, generator, outputColumnName, inputColumnName);

    /// <inheritdoc/>
    public EmbedTextTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.CheckInput(input.Schema);
        return _transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        _transformer.Mapping(_ => throw new InvalidOperationException("Schema only.")).GetOutputSchema(inputSchema);
}
