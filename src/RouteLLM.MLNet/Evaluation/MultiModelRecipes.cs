using Microsoft.ML;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Difficulty;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Routers.SimilarityWeighted;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// The committed multi-model recipes, one per router kind, as the fold trainers <see cref="MultiModelCrossValidation.Evaluate"/>
/// takes; <c>routellm crossvalidate</c> and the notebooks both train through these, so their figures agree.
/// </summary>
public static class MultiModelRecipes
{
    /// <summary>The router kinds with a recipe here.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["mf", "sw", "difficulty"];

    /// <summary>AlpacaEval's reference model: each model's score on a prompt is its verdict against this one.</summary>
    public const string AlpacaEvalReference = RouteLLMModels.Strong;

    /// <summary>The fold trainer of <paramref name="kind"/> with its committed options.</summary>
    /// <param name="kind">One of <see cref="Kinds"/>.</param>
    /// <param name="embeddings">Embeddings of every scored prompt (difficulty's inner cross-validation reads them).</param>
    /// <param name="catalogue">Prices, when the scores carry no real costs (difficulty's inner AIQ needs them); else null.</param>
    /// <param name="folds">Folds of difficulty's inner cross-validation; the outer one's count is the usual choice.</param>
    /// <param name="seed">Seed of the trainers and of the inner folds.</param>
    /// <param name="neighbours">sw: training prompts each model's score is averaged over.</param>
    /// <param name="shrinkage">sw: pseudo-prompts pulling a neighbour mean toward the model's mean; null: chosen by leave-one-out.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> has no recipe.</exception>
    public static Func<TrainingSet, RouterModel> Trainer(
        string kind, PromptEmbeddingTable embeddings, ModelCatalogue? catalogue, int folds, int seed, int neighbours = 20, double? shrinkage = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(neighbours, 1);
        var routing = new MLContext(seed).Routing();
        var embedder = embeddings.Embedder;
        return kind switch
        {
            "mf" => set => routing.Trainers.MatrixFactorization(new MatrixFactorizationRouterTrainer.Options
            {
                Embedder = embedder, StrongModel = Strong(set), WeakModel = Weak(set), Seed = seed,
            }).Train(set),
            "sw" => set => routing.Trainers.SimilarityWeighted(new SimilarityWeightedRouterTrainer.Options
            {
                Embedder = embedder, StrongModel = Strong(set), WeakModel = Weak(set), Neighbours = neighbours, Shrinkage = shrinkage, Seed = seed,
            }).Train(set),

            // The weights are chosen inside each training fold, by a repeated inner cross-validation on AIQ.
            "difficulty" => set => MultiModelSelection.Train(set, embeddings, routing.Trainers.Difficulty(new DifficultyRouterTrainer.Options
            {
                Embedder = embedder, StrongModel = Strong(set), WeakModel = Weak(set), Seed = seed,
            }).TrainCandidates, catalogue, folds, seed, MultiModelSelection.DefaultRepetitions),
            _ => throw new ArgumentException($"No recipe for router kind '{kind}'; known: {string.Join(", ", Kinds)}.", nameof(kind)),
        };
    }

    /// <summary>AlpacaEval as scored prompts: each model's verdict against <see cref="AlpacaEvalReference"/> (win 1, tie 0.5, loss 0).</summary>
    /// <param name="battles">AlpacaEval's judged battles.</param>
    /// <param name="aliases">Spellings to read the reference's name through (the catalogue's).</param>
    public static IReadOnlyList<ScoredPrompt> AlpacaEvalScores(IEnumerable<Battle> battles, ModelAliases aliases)
    {
        ArgumentNullException.ThrowIfNull(battles);
        ArgumentNullException.ThrowIfNull(aliases);
        return VerdictScores.AgainstReference(battles, aliases.Canonical(AlpacaEvalReference));
    }

    // The pair only names the manifest's default (and sw's reference); every model is predicted. gpt-4-1106-preview is
    // in RouterBench and AlpacaEval; other data pairs its first two models.
    private static string Strong(TrainingSet set) => set.Models.Contains(AlpacaEvalReference) ? AlpacaEvalReference : set.Models[0];

    private static string Weak(TrainingSet set) => set.Models.First(m => m != Strong(set));
}
