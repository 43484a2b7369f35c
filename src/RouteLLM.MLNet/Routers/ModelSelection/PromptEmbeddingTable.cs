using Microsoft.Extensions.AI;
using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>
/// Prompts embedded once, looked up by text. Battles share few prompts (101k battles, 805 prompts), and model
/// selection trains many routers on subsets of the same battles: embedding each distinct prompt once makes every
/// later training set a lookup.
/// </summary>
public sealed class PromptEmbeddingTable
{
    private readonly Dictionary<string, float[]> _embeddings;

    /// <summary>Wraps embeddings already computed.</summary>
    /// <param name="embedder">The embedder that produced them.</param>
    /// <param name="embeddings">Each prompt's embedding, of length <c>embedder.Dimension</c>.</param>
    /// <exception cref="ArgumentException">An embedding has the wrong length.</exception>
    public PromptEmbeddingTable(EmbedderInfo embedder, IReadOnlyDictionary<string, float[]> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(embeddings);
        _embeddings = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (prompt, vector) in embeddings)
        {
            if (vector is null || vector.Length != embedder.Dimension)
            {
                throw new ArgumentException(
                    $"The embedding of prompt '{Shorten(prompt)}' has {vector?.Length ?? 0} values, not {embedder.Dimension}.", nameof(embeddings));
            }

            _embeddings[prompt] = vector;
        }

        Embedder = embedder;
    }

    /// <summary>The embedder that produced the vectors.</summary>
    public EmbedderInfo Embedder { get; }

    /// <summary>Number of prompts.</summary>
    public int Count => _embeddings.Count;

    /// <summary>The embedding of <paramref name="prompt"/>.</summary>
    /// <param name="prompt">A prompt of the table.</param>
    /// <exception cref="KeyNotFoundException">The prompt was not embedded.</exception>
    public ReadOnlySpan<float> this[string prompt] => Vector(prompt);

    /// <summary>Embeds the distinct <paramref name="prompts"/> with <paramref name="generator"/>, in batches.</summary>
    /// <param name="generator">The embedder; its metadata must name its model and dimension.</param>
    /// <param name="prompts">Prompts; duplicates are embedded once.</param>
    /// <param name="batchSize">Prompts per call to the generator.</param>
    /// <param name="progress">Receives the number of distinct prompts embedded so far, and their total.</param>
    /// <param name="cancellationToken">Cancels the embedding calls.</param>
    public static async Task<PromptEmbeddingTable> CreateAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, IEnumerable<string> prompts, int batchSize = 256,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var embedder = EmbedderInfo.From(generator);
        var distinct = prompts.Distinct(StringComparer.Ordinal).ToArray();
        var embeddings = new Dictionary<string, float[]>(distinct.Length, StringComparer.Ordinal);
        foreach (var chunk in distinct.Chunk(batchSize))
        {
            var embedded = await EmbeddedTexts.EmbedAsync(generator, chunk, embedder.Dimension, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                embeddings[chunk[i]] = embedded[i].ToArray();
            }

            progress?.Report((embeddings.Count, distinct.Length));
        }

        return new PromptEmbeddingTable(embedder, embeddings);
    }

    /// <summary>
    /// The battles as the rows router trainers read (<see cref="RoutingCatalog.LoadBattles"/>'s columns), plus
    /// <c>Embedding</c>: each prompt's vector, a float vector of <see cref="EmbedderInfo.Dimension"/> values.
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="battles">Battles whose prompts are all in the table.</param>
    /// <exception cref="KeyNotFoundException">A battle's prompt was not embedded.</exception>
    public IDataView LoadBattles(MLContext context, IEnumerable<Battle> battles)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(battles);
        var rows = battles.Select(b => new EmbeddedBattleRow
        {
            Prompt = b.Prompt,
            ModelA = b.ModelA,
            ModelB = b.ModelB,
            Label = b.Label,
            Weight = b.Weight,
            IsGold = b.IsGold,
            Embedding = Vector(b.Prompt),
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(EmbeddedBattleRow));
        schema[nameof(EmbeddedBattleRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Embedder.Dimension);
        return context.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>Row-major embeddings of <paramref name="prompts"/>, in order.</summary>
    internal float[] Gather(IReadOnlyList<string> prompts)
    {
        var values = new float[prompts.Count * Embedder.Dimension];
        for (var i = 0; i < prompts.Count; i++)
        {
            Vector(prompts[i]).CopyTo(values.AsSpan(i * Embedder.Dimension));
        }

        return values;
    }

    private float[] Vector(string prompt) =>
        _embeddings.TryGetValue(prompt, out var vector)
            ? vector
            : throw new KeyNotFoundException($"Prompt '{Shorten(prompt)}' is not in the embedding table ({Count} prompts).");

    private static string Shorten(string prompt) => prompt.Length <= 60 ? prompt : prompt[..57] + "...";

    private sealed class EmbeddedBattleRow
    {
        public string Prompt { get; set; } = "";

        public string ModelA { get; set; } = "";

        public string ModelB { get; set; } = "";

        public float Label { get; set; }

        public float Weight { get; set; }

        public bool IsGold { get; set; }

        public float[] Embedding { get; set; } = [];
    }
}
