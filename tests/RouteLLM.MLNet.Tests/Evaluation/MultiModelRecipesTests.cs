using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class MultiModelRecipesTests
{
    private static readonly EmbedderInfo Embedder = new("planted", 3);

    // Models with real costs, the later ones cheaper; hard prompts (first dimension negative) defeat the cheap models more often.
    private static (TrainingSet Set, PromptEmbeddingTable Table) Planted(params string[] models)
    {
        var random = new Random(3);
        var scores = new List<ScoredPrompt>();
        var vectors = new Dictionary<string, float[]>();
        for (var p = 0; p < 120; p++)
        {
            var ease = random.NextDouble() * 2 - 1;
            var prompt = $"planted prompt number {p}";
            vectors[prompt] = [(float)ease, (float)random.NextDouble(), 1];
            scores.Add(new ScoredPrompt(prompt,
                models.Select((m, i) => (m, Score: random.NextDouble() < 0.9 - 0.08 * i * (1 - ease) ? 1.0 : 0.0)).ToDictionary(x => x.m, x => x.Score),
                models.Select((m, i) => (m, Cost: 0.01 / (i + 1))).ToDictionary(x => x.m, x => x.Cost)));
        }

        var table = new PromptEmbeddingTable(Embedder, vectors);
        return (TrainingSet.FromScores(scores, table), table);
    }

    [Theory]
    [InlineData("mf")]
    [InlineData("sw")]
    [InlineData("difficulty")]
    public void Every_kind_pairs_AlpacaEvals_reference_with_the_first_other_model_and_predicts_every_model(string kind)
    {
        // sw ranks the models into 10 tiers, so it needs 10 of them.
        var (set, table) = Planted([.. Enumerable.Range(0, 9).Select(i => $"a-model-{i}").Append(MultiModelRecipes.AlpacaEvalReference)]);

        var router = MultiModelRecipes.Trainer(kind, table, catalogue: null, folds: 3, seed: 0)(set);

        Assert.Equal(MultiModelRecipes.AlpacaEvalReference, router.Manifest.StrongModel);
        Assert.Equal(set.Models.First(m => m != MultiModelRecipes.AlpacaEvalReference), router.Manifest.WeakModel);
        var predicted = router.PredictQualities(["planted prompt number 0"], table["planted prompt number 0"]);
        Assert.Equal(set.Models.Order(StringComparer.Ordinal), predicted.Models.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_the_reference_the_first_two_models_are_the_pair()
    {
        var (set, table) = Planted("x-model", "y-model", "z-model");

        var router = MultiModelRecipes.Trainer("mf", table, catalogue: null, folds: 3, seed: 0)(set);

        Assert.Equal((set.Models[0], set.Models[1]), (router.Manifest.StrongModel, router.Manifest.WeakModel));
    }

    [Fact]
    public void Difficulty_chooses_its_weights_by_inner_cross_validation_with_the_folds_given()
    {
        var (set, table) = Planted("a-model", MultiModelRecipes.AlpacaEvalReference, "b-model");

        var metrics = MultiModelRecipes.Trainer("difficulty", table, catalogue: null, folds: 4, seed: 0)(set).Manifest.TrainingMetrics;

        Assert.Equal(4, metrics["inner_folds"]);
        Assert.Equal(3, metrics["inner_repetitions"]);
        Assert.Contains("inner_choice", metrics.Keys);
    }

    [Fact]
    public void An_unknown_kind_is_refused_naming_the_known_ones()
    {
        var (_, table) = Planted("a-model", "b-model");

        var error = Assert.Throws<ArgumentException>(() => MultiModelRecipes.Trainer("bert", table, catalogue: null, folds: 5, seed: 0));

        Assert.Contains("'bert'", error.Message, StringComparison.Ordinal);
        Assert.Contains("mf, sw, difficulty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AlpacaEval_scores_are_verdicts_against_the_reference_in_the_catalogues_spelling()
    {
        // A catalogue that spells the reference "gpt4-turbo": its battles read with those aliases name it so.
        var aliases = new ModelAliases(new Dictionary<string, string> { [MultiModelRecipes.AlpacaEvalReference] = "gpt4-turbo" });
        Battle[] battles =
        [
            new("p", "gpt4-turbo", "x", BattleOutcome.ModelBWins),
            new("p", "x", "gpt4-turbo", BattleOutcome.Tie),
            new("p", "y", "gpt4-turbo", BattleOutcome.ModelBWins),
            new("q", "x", "y", BattleOutcome.ModelAWins),
        ];

        var scores = MultiModelRecipes.AlpacaEvalScores(battles, aliases);

        var prompt = Assert.Single(scores);
        Assert.Equal("p", prompt.Prompt);
        Assert.Equal(0.75, prompt.Scores["x"]);
        Assert.Equal(0.0, prompt.Scores["y"]);
        Assert.Equal(0.5, prompt.Scores["gpt4-turbo"]);
    }
}
