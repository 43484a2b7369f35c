using RouteLLM.MLNet.Catalogue;
using Microsoft.Extensions.AI;
using Microsoft.ML;
using RouteLLM.FakeUpstream;
using RouteLLM.MLNet;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Extensions.Labeling;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Routers.SimilarityWeighted;

namespace RouteLLM.LearningCurve;

/// <summary>
/// The learning curve of one replayed traffic: shuffle its prompts (seeded); the first N of them are the user's labelled
/// prompts, for each N, and the prompts after the largest N are the unlabelled rest, the same for every N so that the
/// sizes compare. Each N is labelled with the real <see cref="BattleLabeler"/> against a <see cref="ReplayLabelingServer"/>
/// (one journal per seed: a larger N reuses the calls of the smaller ones), mf and sw are trained on its battles alone,
/// and APGR with a 95% bootstrap interval is measured on the rest.
/// </summary>
internal sealed class LearningCurveRunner(PromptEmbeddingTable embeddings, string workDirectory)
{
    private const string JudgeModel = "replay-judge";

    public async Task<IReadOnlyList<LearningCurvePoint>> RunAsync(ReplayTraffic traffic, IReadOnlyList<int> sizes, int seed, TextWriter log)
    {
        var largest = sizes.Max();
        if (largest >= traffic.Prompts.Count)
        {
            throw new ArgumentException($"{traffic.Name} has {traffic.Prompts.Count} prompts: the largest size, {largest}, leaves none unlabelled.", nameof(sizes));
        }

        var order = Enumerable.Range(0, traffic.Prompts.Count).ToArray();
        new Random(seed).Shuffle(order);
        var rest = order[largest..];
        var evaluation = rest.Select(i => new BenchmarkPrompt(traffic.Prompts[i], traffic.Qualities[i][RouteLLMModels.Strong], traffic.Qualities[i][RouteLLMModels.Weak])).ToArray();
        var evaluationPrompts = evaluation.Select(p => p.Prompt).ToArray();
        var evaluationEmbeddings = evaluationPrompts.SelectMany(p => embeddings[p].ToArray()).ToArray();
        var randomApgr = RoutingMetrics.Apgr(RoutingMetrics.RandomRouterCurve(evaluation));

        await using var server = await ReplayLabelingServer.StartAsync(JudgeModel, traffic.Prompts, traffic.Qualities);
        using var http = new HttpClient();
        var journal = Path.Combine(workDirectory, $"{traffic.Name.Split(' ')[0]}-seed{seed}.journal.jsonl");
        var points = new List<LearningCurvePoint>();
        foreach (var size in sizes.Order())
        {
            var labelled = order[..size].Select(i => traffic.Prompts[i]).ToArray();
            var result = await new BattleLabeler(Options(server.BaseUrl, http, journal)).LabelAsync(labelled);
            if (result.Battles.Count != size || result.PromptsFailed > 0 || result.UnreadableVerdicts > 0)
            {
                throw new InvalidOperationException(
                    $"{traffic.Name}, {size} prompts: {result.Battles.Count} battles, {result.PromptsFailed} failed ({result.FirstFailure}), {result.UnreadableVerdicts} unreadable verdicts.");
            }

            var battles = result.Battles.Select(b => new Battle(b.Prompt, b.ModelA, b.ModelB, b.Outcome)).ToArray();
            var decisive = battles.Count(b => b.Outcome != BattleOutcome.Tie);
            log.WriteLine($"{traffic.Name} seed {seed}: {size} prompts labelled ({result.CallsMade} calls made, {result.CallsReused} reused), {decisive} decisive battles");
            foreach (var (name, router) in Train(battles, seed))
            {
                var scores = new float[evaluation.Length];
                router.CalculateStrongWinRates(evaluationPrompts, evaluationEmbeddings, scores);
                var apgr = RoutingMetrics.Apgr(RoutingMetrics.Curve(scores, evaluation));
                var interval = RoutingMetrics.Bootstrap(scores, evaluation, seed: seed).Apgr;
                points.Add(new LearningCurvePoint(traffic.Name, seed, size, decisive, name, evaluation.Length, apgr, interval, randomApgr));
                log.WriteLine($"  {name}: APGR {apgr:F3} [{interval.Lower:F3}, {interval.Upper:F3}] on {evaluation.Length} unlabelled prompts (random {randomApgr:F3})");
            }
        }

        return points;
    }

    private IEnumerable<(string Name, RouterModel Router)> Train(IReadOnlyList<Battle> battles, int seed)
    {
        var ml = new MLContext(seed);
        var data = embeddings.LoadBattles(ml, battles);
        yield return ("mf", ml.Routing().Trainers.MatrixFactorization(new MatrixFactorizationRouterTrainer.Options
        {
            Embedder = embeddings.Embedder, StrongModel = RouteLLMModels.Strong, WeakModel = RouteLLMModels.Weak, Seed = seed,
        }).Fit(data).Model);

        // Two models only: SW's Bradley-Terry tiers are the two models themselves.
        yield return ("sw", ml.Routing().Trainers.SimilarityWeighted(new SimilarityWeightedRouterTrainer.Options
        {
            Embedder = embeddings.Embedder, StrongModel = RouteLLMModels.Strong, WeakModel = RouteLLMModels.Weak, Seed = seed, Tiers = 2,
        }).Fit(data).Model);
    }

    private static LabelingOptions Options(string baseUrl, HttpClient http, string journal)
    {
        var options = new LabelingOptions { Judge = Model(JudgeModel), JournalPath = journal, MaxConcurrency = 8 };
        options.Contestants.Add(Model(RouteLLMModels.Strong));
        options.Contestants.Add(Model(RouteLLMModels.Weak));
        return options;

        LabelingModel Model(string name) => new(name, new OpenAICompatibleChatClient(baseUrl, name, httpClient: http, leaveOpen: true), new CatalogueModel { Model = name, InputUsdPerMTok = 0, OutputUsdPerMTok = 0, AvgOutputChars = 0 });
    }
}
