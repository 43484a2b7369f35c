using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Routers;

/// <summary>
/// The battles a trainer learns from, with prompts stored once: 101k battles share about 800 prompts, and every
/// router works per prompt.
/// </summary>
public sealed partial class TrainingSet
{
    private readonly float[] _embeddings;

    private TrainingSet(
        string[] prompts, float[] embeddings, int dimension, string[] models, TrainingBattle[] battles, string digest, TrainingScore[]? scores = null)
    {
        Scores = scores ?? [];
        Prompts = prompts;
        _embeddings = embeddings;
        Dimension = dimension;
        Models = models;
        Battles = battles;
        Digest = digest;
    }

    /// <summary>Distinct prompts, in order of first appearance.</summary>
    public IReadOnlyList<string> Prompts { get; }

    /// <summary>Embedding length; 0 when embeddings were not read.</summary>
    public int Dimension { get; }

    /// <summary>Distinct canonical model names, sorted ordinally.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>The battles, in input order.</summary>
    public IReadOnlyList<TrainingBattle> Battles { get; }

    /// <summary>Per-prompt scores of single models (correctness, grades), in input order; empty for battles alone.</summary>
    public IReadOnlyList<TrainingScore> Scores { get; }

    /// <summary>SHA-256 (hex) of the battles and prompts as read.</summary>
    public string Digest { get; }

    /// <summary>All prompt embeddings, row-major <c>Prompts.Count × Dimension</c>.</summary>
    public ReadOnlySpan<float> Embeddings => _embeddings;

    /// <summary>The embedding of prompt <paramref name="prompt"/>.</summary>
    /// <param name="prompt">Index into <see cref="Prompts"/>.</param>
    public ReadOnlySpan<float> Embedding(int prompt) => _embeddings.AsSpan(prompt * Dimension, Dimension);

    /// <summary>Index of a model in <see cref="Models"/>, or -1.</summary>
    /// <param name="model">Canonical model name.</param>
    public int IndexOfModel(string model)
    {
        var index = Array.BinarySearch((string[])Models, model, StringComparer.Ordinal);
        return index >= 0 ? index : -1;
    }

    /// <summary>
    /// Reads battles from the columns <paramref name="options"/> names, and which are gold from the
    /// <see cref="BattleColumnNames.IsGold"/> column when the data have it.
    /// </summary>
    /// <param name="data">Battle rows.</param>
    /// <param name="options">Column names and embedder.</param>
    /// <param name="readEmbeddings">Whether the router needs the embedding column.</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, or a row has an invalid label or weight.</exception>
    public static TrainingSet Read(IDataView data, RouterTrainerOptions options, bool readEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var schema = data.Schema;
        var prompt = Column(schema, options.PromptColumnName, "prompt", t => t is TextDataViewType);
        var modelA = Column(schema, options.ModelAColumnName, "model A", t => t is TextDataViewType);
        var modelB = Column(schema, options.ModelBColumnName, "model B", t => t is TextDataViewType);
        var label = Column(schema, options.LabelColumnName, "label", t => t == NumberDataViewType.Single);
        DataViewSchema.Column? weight = options.ExampleWeightColumnName is { } weightName
            ? Column(schema, weightName, "example weight", t => t == NumberDataViewType.Single)
            : null;
        var isGold = schema.GetColumnOrNull(BattleColumnNames.IsGold) is { Type: BooleanDataViewType } goldColumn ? goldColumn : (DataViewSchema.Column?)null;
        DataViewSchema.Column? embedding = null;
        var dimension = 0;
        if (readEmbeddings)
        {
            var embedder = options.Embedder ?? throw new ArgumentException(
                $"{options.GetType().DeclaringType?.Name ?? options.GetType().Name}: Options.Embedder must name the embedder that produced column '{options.EmbeddingColumnName}'.");
            embedding = Column(schema, options.EmbeddingColumnName, "embedding",
                t => t is VectorDataViewType { Size: > 0 } v && v.ItemType == NumberDataViewType.Single);
            dimension = ((VectorDataViewType)embedding.Value.Type).Size;
            if (dimension != embedder.Dimension)
            {
                throw new ArgumentException(
                    $"Column '{options.EmbeddingColumnName}' has {dimension} values per row but embedder '{embedder.Id}' has dimension {embedder.Dimension}.");
            }
        }

        var columns = new List<DataViewSchema.Column> { prompt, modelA, modelB, label };
        if (weight is { } w) columns.Add(w);
        if (embedding is { } e) columns.Add(e);
        if (isGold is { } g) columns.Add(g);

        var promptIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var prompts = new List<string>();
        var embeddings = new List<float>();
        var rows = new List<(int Prompt, string A, string B, float Label, float Weight, bool IsGold)>();
        using (var cursor = data.GetRowCursor(columns))
        {
            var getPrompt = cursor.GetGetter<ReadOnlyMemory<char>>(prompt);
            var getA = cursor.GetGetter<ReadOnlyMemory<char>>(modelA);
            var getB = cursor.GetGetter<ReadOnlyMemory<char>>(modelB);
            var getLabel = cursor.GetGetter<float>(label);
            var getWeight = weight is { } wc ? cursor.GetGetter<float>(wc) : null;
            var getEmbedding = embedding is { } ec ? cursor.GetGetter<VBuffer<float>>(ec) : null;
            var getIsGold = isGold is { } gc ? cursor.GetGetter<bool>(gc) : null;
            ReadOnlyMemory<char> text = default, a = default, b = default;
            VBuffer<float> vector = default;
            float labelValue = 0, weightValue = 1;
            var goldValue = false;
            long row = 0;
            while (cursor.MoveNext())
            {
                row++;
                getPrompt(ref text);
                getA(ref a);
                getB(ref b);
                getLabel(ref labelValue);
                getWeight?.Invoke(ref weightValue);
                getIsGold?.Invoke(ref goldValue);
                if (labelValue is not (0f or 0.5f or 1f))
                {
                    throw new ArgumentException($"Row {row}: {options.LabelColumnName} is {labelValue}, not 1 (A wins), 0 (B wins) or 0.5 (tie).");
                }

                if (!float.IsFinite(weightValue) || weightValue < 0)
                {
                    throw new ArgumentException($"Row {row}: {options.ExampleWeightColumnName} is {weightValue}, not a finite weight ≥ 0.");
                }

                var promptText = text.ToString();
                if (!promptIndex.TryGetValue(promptText, out var index))
                {
                    index = prompts.Count;
                    promptIndex.Add(promptText, index);
                    prompts.Add(promptText);
                    if (getEmbedding is not null)
                    {
                        getEmbedding(ref vector);
                        embeddings.AddRange(vector.DenseValues());
                    }
                }

                rows.Add((index, Canonical(a, row, options.ModelAColumnName), Canonical(b, row, options.ModelBColumnName), labelValue, weightValue, goldValue));
            }
        }

        var models = rows.SelectMany(r => new[] { r.A, r.B }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var modelIndex = models.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
        var battles = rows.Select(r => new TrainingBattle(r.Prompt, modelIndex[r.A], modelIndex[r.B], r.Label, r.Weight, r.IsGold)).ToArray();
        return new TrainingSet([.. prompts], [.. embeddings], dimension, models, battles, ComputeDigest(prompts, models, battles, options.Embedder));
    }

    private static string Canonical(ReadOnlyMemory<char> model, long row, string column)
    {
        var name = model.ToString();
        return string.IsNullOrWhiteSpace(name)
            ? throw new ArgumentException($"Row {row}: {column} is empty.")
            : ModelAliases.Default.Canonical(name);
    }

    private static DataViewSchema.Column Column(DataViewSchema schema, string name, string role, Func<DataViewType, bool> typeOk)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The training data has no {role} column '{name}'. Columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        return typeOk(column.Type) ? column : throw new ArgumentException($"The {role} column '{name}' has type {column.Type}, which the trainer cannot read.");
    }

    private static string ComputeDigest(List<string> prompts, string[] models, TrainingBattle[] battles, EmbedderInfo? embedder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
        Add(embedder?.Id ?? "");
        foreach (var p in prompts) Add(p);
        foreach (var m in models) Add(m);
        foreach (var b in battles) Add(string.Create(CultureInfo.InvariantCulture, $"{b.Prompt},{b.ModelA},{b.ModelB},{b.Label},{b.Weight}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
