using System.Buffers;
using System.Numerics.Tensors;
using RouteLLM.MLNet.Ranking;

[assembly: RouteLLM.MLNet.Routers.RouterKind("sw", typeof(RouteLLM.MLNet.Routers.SimilarityWeighted.SimilarityWeightedRouterModel.Loader))]

namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

/// <summary>
/// RouteLLM's similarity-weighted ranking router. For a query embedding q, each training prompt p gets cosine
/// similarity s_p and weight <c>10 · b^(s_p / max s)</c>; every battle of p carries that weight in a Bradley-Terry
/// fit over the tiers (<see cref="BradleyTerry"/>); P(strong wins) = 1 / (1 + 10^((R_weak − R_strong) / 400)) from
/// the ratings of the strong and weak models' tiers, 0.5 when they share a tier.
/// </summary>
/// <remarks>
/// When no training prompt has positive similarity to the query (max s ≤ 0, e.g. a zero vector), RouteLLM's weight
/// is undefined or inverted; this router then weighs every battle alike. Its zip holds the distinct training
/// prompts' embeddings (<see cref="RouterZip.TrainingPromptsEntry"/>, shared with evaluation), <c>sw/tier_wins.idv</c>
/// (per prompt, the weighted tier-versus-tier win counts) and <c>sw/parameters.json</c> (tier map, base).
/// </remarks>
public sealed partial class SimilarityWeightedRouterModel : RouterModel
{
    private const string ParametersEntry = "sw/parameters.json";
    private const string TierWinsEntry = "sw/tier_wins.idv";

    private readonly PromptEmbeddings _prompts;
    private readonly float[] _inverseNorms;
    private readonly TierWinTable _wins;
    private readonly double _logBase;
    private readonly int _strongTier;
    private readonly int _weakTier;
    private readonly NeighbourScores _neighbourScores;
    private readonly MultiModelQualities _qualities;

    internal SimilarityWeightedRouterModel(RouterManifest manifest, PromptEmbeddings prompts, TierWinTable wins,
        IReadOnlyDictionary<string, int> modelTiers, double similarityBase, NeighbourScores neighbourScores, MultiModelQualities qualities)
        : base(manifest, prompts)
    {
        _neighbourScores = neighbourScores;
        _qualities = qualities;
        _prompts = prompts;
        _wins = wins;
        ModelTiers = modelTiers;
        SimilarityBase = similarityBase;
        _logBase = Math.Log(similarityBase);
        _strongTier = modelTiers[manifest.StrongModel];
        _weakTier = modelTiers[manifest.WeakModel];
        _inverseNorms = new float[prompts.Count];
        for (var p = 0; p < prompts.Count; p++)
        {
            var norm = TensorPrimitives.Norm(prompts[p]);
            _inverseNorms[p] = norm > 0 ? 1 / norm : 0;
        }
    }

    /// <summary>Each model's tier: 0 for the highest-rated tier, then 1, 2, … (see <see cref="Ranking.Tiers"/>).</summary>
    public IReadOnlyDictionary<string, int> ModelTiers { get; }

    /// <summary>Number of tiers.</summary>
    public int TierCount => _wins.Tiers;

    /// <summary>The base b of the similarity weighting <c>10 · b^(s / max s)</c>.</summary>
    public double SimilarityBase { get; }

    /// <summary>
    /// The Elo rating of every tier for one query: the similarity-weighted Bradley-Terry fit the router scores with.
    /// </summary>
    /// <param name="embedding">The query's embedding, from the manifest's embedder.</param>
    /// <returns>One rating per tier, index = tier.</returns>
    /// <exception cref="ArgumentException">The embedding has the wrong length or a non-finite value.</exception>
    public double[] TierRatings(ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != _prompts.Embedder.Dimension)
        {
            throw new ArgumentException($"The embedding has {embedding.Length} values; the router's embedder has dimension {_prompts.Embedder.Dimension}.", nameof(embedding));
        }

        var beta = FitTiers(embedding);
        return [.. beta.Select(b => BradleyTerry.Scale * b + BradleyTerry.InitialRating)];
    }

    /// <inheritdoc/>
    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        var dimension = _prompts.Embedder.Dimension;
        for (var i = 0; i < prompts.Count; i++)
        {
            if (_strongTier == _weakTier)
            {
                destination[i] = 0.5f;
                continue;
            }

            var beta = FitTiers(embeddings.Slice(i * dimension, dimension));
            destination[i] = (float)BradleyTerry.WinProbability(
                BradleyTerry.Scale * beta[_strongTier], BradleyTerry.Scale * beta[_weakTier]);
        }
    }

    /// <inheritdoc/>
    protected override RouterModel WithModelsCore(RouterManifest manifest) =>
        new SimilarityWeightedRouterModel(manifest, _prompts, _wins, ModelTiers, SimilarityBase, _neighbourScores, _qualities);

    /// <summary>Whether the router kept per-prompt scores (was trained on some).</summary>
    internal bool KeptScores => _neighbourScores.HasScores;

    /// <summary>This router with more models, each given a tier of its table; everything the router kept stays as it is.</summary>
    internal SimilarityWeightedRouterModel WithAddedModels(RouterManifest manifest, IReadOnlyDictionary<string, int> modelTiers) =>
        new(manifest, _prompts, _wins, modelTiers, SimilarityBase, _neighbourScores, _qualities);

    /// <inheritdoc/>
    protected internal override void SaveContents(RouterZipWriter writer)
    {
        writer.WriteJson(ParametersEntry, new Parameters(SimilarityBase, TierCount, new SortedDictionary<string, int>(
            ModelTiers.ToDictionary(), StringComparer.Ordinal)));
        writer.WriteMatrix(TierWinsEntry, _wins.Counts, _wins.Prompts, PairwiseWins.CellCount(TierCount));
        _neighbourScores.Save(writer, Manifest.Models.Count);
        _qualities.Save(writer);
    }

    /// <summary>Bradley-Terry coefficients of the tiers for one query embedding.</summary>
    private double[] FitTiers(ReadOnlySpan<float> query)
    {
        var count = _prompts.Count;
        var weights = ArrayPool<double>.Shared.Rent(count);
        try
        {
            var span = weights.AsSpan(0, count);
            Weigh(query, span);
            var wins = new PairwiseWins(TierCount);
            _wins.Aggregate(span, wins);
            return BradleyTerrySolver.Solve(wins);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(weights);
        }
    }

    /// <summary>RouteLLM's weights <c>10 · b^(s_p / max s)</c> from the cosine similarities s_p.</summary>
    private void Weigh(ReadOnlySpan<float> query, Span<double> weights)
    {
        Similarities(query, weights);
        var max = TensorPrimitives.Max<double>(weights);
        if (max > 0)
        {
            TensorPrimitives.Multiply(weights, _logBase / max, weights);
            TensorPrimitives.Exp(weights, weights);
            TensorPrimitives.Multiply(weights, 10.0, weights);
        }
        else
        {
            weights.Fill(10);
        }
    }

    private sealed record Parameters(double SimilarityBase, int Tiers, SortedDictionary<string, int> ModelTiers);

    /// <summary>Reads SW routers from their zip.</summary>
    public sealed class Loader : IRouterModelLoader
    {
        /// <inheritdoc/>
        public RouterModel Load(RouterZipReader reader)
        {
            ArgumentNullException.ThrowIfNull(reader);
            var parameters = reader.ReadJson<Parameters>(ParametersEntry);
            var prompts = reader.ReadTrainingPrompts() ?? throw reader.Error($"an SW router needs its training prompts ({RouterZip.TrainingPromptsEntry})");
            if (parameters.Tiers < 1 || !double.IsFinite(parameters.SimilarityBase) || parameters.SimilarityBase < 1)
            {
                throw reader.Error($"{ParametersEntry}: {parameters.Tiers} tiers and similarity base {parameters.SimilarityBase} are out of range");
            }

            var models = reader.Manifest.Models;
            if (parameters.ModelTiers.Count != models.Count || models.Any(m => !parameters.ModelTiers.TryGetValue(m, out var tier) || tier < 0 || tier >= parameters.Tiers))
            {
                throw reader.Error($"{ParametersEntry}: the tier map does not give each of the manifest's {models.Count} models a tier in 0..{parameters.Tiers - 1}");
            }

            var counts = reader.ReadMatrix(TierWinsEntry, out var rows, out var columns);
            if (rows != prompts.Count || columns != PairwiseWins.CellCount(parameters.Tiers))
            {
                throw reader.Error($"{TierWinsEntry}: {rows}×{columns} counts for {prompts.Count} training prompts and {parameters.Tiers} tiers");
            }

            return new SimilarityWeightedRouterModel(reader.Manifest, prompts, new TierWinTable(parameters.Tiers, rows, counts),
                parameters.ModelTiers, parameters.SimilarityBase, NeighbourScores.Load(reader, prompts.Count), MultiModelQualities.Load(reader));
        }
    }
}
