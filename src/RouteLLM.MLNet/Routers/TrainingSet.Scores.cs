using RouteLLM.MLNet.Embeddings;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.MLNet.Routers;

public sealed partial class TrainingSet
{
    /// <summary>
    /// Battles and per-prompt model scores in one training set, every prompt embedded by <paramref name="embeddings"/>:
    /// the one way faces build training data from files. With no battles it is <see cref="FromScores"/>.
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="embeddings">Embeddings of every battle and scored prompt.</param>
    /// <param name="battles">Battles (with their weights); may be empty.</param>
    /// <param name="scores">Scored prompts; may be empty.</param>
    public static TrainingSet Create(
        MLContext context, PromptEmbeddingTable embeddings, IReadOnlyCollection<Battle> battles, IReadOnlyList<ScoredPrompt> scores)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(battles);
        return battles.Count == 0
            ? FromScores(scores, embeddings)
            : Read(embeddings.LoadBattles(context, battles), new EmbeddedBattleColumns(embeddings.Embedder), readEmbeddings: true)
                .WithScores(scores, embeddings);
    }

    /// <summary>
    /// A training set of per-prompt model scores alone (no battles): what <c>routellm train KIND --scores FILE</c> learns from.
    /// </summary>
    /// <param name="scores">Scored prompts; a prompt that occurs twice keeps both rows.</param>
    /// <param name="embeddings">Embeddings of every scored prompt.</param>
    /// <exception cref="ArgumentException">A score is outside [0, 1] or a cost is negative or not finite.</exception>
    public static TrainingSet FromScores(IReadOnlyList<ScoredPrompt> scores, PromptEmbeddingTable embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        var empty = new TrainingSet([], [], embeddings.Embedder.Dimension, [], [], digest: "");
        return empty.WithScores(scores, embeddings);
    }

    /// <summary>
    /// These battles plus per-prompt model scores: prompts and models are merged by text and canonical name, so a prompt
    /// with both battles and scores is stored once.
    /// </summary>
    /// <param name="scores">Scored prompts.</param>
    /// <param name="embeddings">Embeddings of every scored prompt (the battles' prompts keep theirs).</param>
    /// <exception cref="ArgumentException">
    /// A score is outside [0, 1], a cost is negative or not finite, or the embedder differs from the battles'.
    /// </exception>
    public TrainingSet WithScores(IReadOnlyList<ScoredPrompt> scores, PromptEmbeddingTable embeddings)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(embeddings);
        if (Prompts.Count > 0 && Dimension != embeddings.Embedder.Dimension)
        {
            throw new ArgumentException(
                $"The battles' embeddings have dimension {Dimension}, the scores' embedder '{embeddings.Embedder.Id}' {embeddings.Embedder.Dimension}.", nameof(embeddings));
        }

        var prompts = new List<string>(Prompts);
        var promptIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var p = 0; p < prompts.Count; p++)
        {
            promptIndex.TryAdd(prompts[p], p);
        }

        var vectors = new List<float>(_embeddings);
        var rows = new List<(int Prompt, string Model, float Score, float Cost)>();
        for (var row = 0; row < scores.Count; row++)
        {
            var scored = scores[row] ?? throw new ArgumentException($"Scored prompt {row + 1} is null.", nameof(scores));
            if (!promptIndex.TryGetValue(scored.Prompt, out var prompt))
            {
                prompt = prompts.Count;
                promptIndex.Add(scored.Prompt, prompt);
                prompts.Add(scored.Prompt);
                vectors.AddRange(embeddings[scored.Prompt]);
            }

            foreach (var (name, score) in scored.Scores)
            {
                var model = ModelAliases.Default.Canonical(name);
                if (!(score is >= 0 and <= 1))
                {
                    throw new ArgumentException($"Scored prompt {row + 1}: model '{model}' has score {score}, not in [0, 1].", nameof(scores));
                }

                var cost = scored.CostsUsd.TryGetValue(name, out var c) ? c : double.NaN;
                if (!double.IsNaN(cost) && !(double.IsFinite(cost) && cost >= 0))
                {
                    throw new ArgumentException($"Scored prompt {row + 1}: model '{model}' has cost {cost} USD, not a finite number ≥ 0.", nameof(scores));
                }

                rows.Add((prompt, model, (float)score, (float)cost));
            }
        }

        var models = Models.Concat(rows.Select(r => r.Model)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var modelIndex = models.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
        var battles = Battles.Select(b => b with { ModelA = modelIndex[Models[b.ModelA]], ModelB = modelIndex[Models[b.ModelB]] }).ToArray();
        var merged = Scores.Select(s => s with { Model = modelIndex[Models[s.Model]] })
            .Concat(rows.Select(r => new TrainingScore(r.Prompt, modelIndex[r.Model], r.Score, r.Cost))).ToArray();
        return new TrainingSet([.. prompts], [.. vectors], embeddings.Embedder.Dimension, models, battles,
            ScoresDigest(Digest, embeddings.Embedder, prompts, models, merged), merged);
    }

    /// <summary>
    /// The scores as battles on the same prompts and models: on each prompt, every two models scored on it meet once,
    /// the higher score winning and equal scores tying (how RouteLLM turns gold labels into battles). No scores remain.
    /// </summary>
    internal TrainingSet ScoresAsBattles()
    {
        var battles = new List<TrainingBattle>();
        foreach (var prompt in Scores.GroupBy(s => s.Prompt))
        {
            var scored = prompt.ToArray();
            for (var a = 0; a < scored.Length; a++)
            {
                for (var b = a + 1; b < scored.Length; b++)
                {
                    if (scored[a].Model != scored[b].Model)
                    {
                        var label = scored[a].Score > scored[b].Score ? 1f : scored[a].Score < scored[b].Score ? 0f : 0.5f;
                        battles.Add(new TrainingBattle(prompt.Key, scored[a].Model, scored[b].Model, label, Weight: 1));
                    }
                }
            }
        }

        return new TrainingSet((string[])Prompts, _embeddings, Dimension, (string[])Models, [.. battles], Digest);
    }

    private static string ScoresDigest(string battlesDigest, EmbedderInfo embedder, List<string> prompts, string[] models, TrainingScore[] scores)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
        Add($"battles:{battlesDigest}");
        Add(embedder.Id);
        foreach (var p in prompts) Add(p);
        foreach (var m in models) Add(m);
        foreach (var s in scores) Add(string.Create(CultureInfo.InvariantCulture, $"{s.Prompt},{s.Model},{s.Score},{s.CostUsd}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The columns of <see cref="PromptEmbeddingTable.LoadBattles"/>.</summary>
    private sealed class EmbeddedBattleColumns : RouterTrainerOptions
    {
        public EmbeddedBattleColumns(EmbedderInfo embedder)
        {
            Embedder = embedder;
            ExampleWeightColumnName = "Weight";
        }
    }
}
