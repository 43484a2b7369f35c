using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Routers.SimilarityWeighted;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm train mf|sw|random|bert</c>: train a router on Arena-schema battles (and gold labels) into a router zip.</summary>
internal static partial class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train a router on preference battles (Chatbot Arena schema), optionally augmented with gold labels.");
        var mf = new Command("mf", "Matrix-factorization router (RouteLLM's MF).");
        var mfDefaults = new MatrixFactorizationRouterTrainer.Options();
        var dimension = new Option<int>("--dimension") { Description = "Model/prompt projection dimension.", DefaultValueFactory = _ => mfDefaults.Dimension };
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Most epochs; the best on held-out prompts is kept.", DefaultValueFactory = _ => mfDefaults.MaxEpochs };
        mf.Add(dimension);
        mf.Add(maxEpochs);
        var extend = ExtendOption("its prompt tower and the vectors of its models are kept exactly");
        mf.Add(extend);
        var mfShared = TrainingOptions.AddTo(mf);
        MatrixFactorizationRouterTrainer.Options MfOptions(ParseResult result, EmbedderInfo embedder, int seed) => mfShared.Apply(result, new MatrixFactorizationRouterTrainer.Options
        {
            Embedder = embedder,
            Dimension = result.GetValue(dimension),
            MaxEpochs = result.GetValue(maxEpochs),
            Seed = seed,
            Extend = ReadExtended<MatrixFactorizationRouterModel>(result.GetValue(extend), "mf"),
        });
        mf.SetAction((result, cancellationToken) => CommandRunner.RunAsync(() => RunEmbeddingRouterAsync(
            result,
            mfShared,
            (ml, embedder, seed) => ml.Routing().Trainers.MatrixFactorization(MfOptions(result, embedder, seed)),
            (ml, embedder, seed) => SelectionCandidates.MatrixFactorization(ml, () => MfOptions(result, embedder, seed)),
            cancellationToken)));

        var sw = new Command("sw", "Similarity-weighted Bradley-Terry ranking router (RouteLLM's SW ranking).");
        var swDefaults = new SimilarityWeightedRouterTrainer.Options();
        var tiers = new Option<int>("--tiers") { Description = "Number of model tiers.", DefaultValueFactory = _ => swDefaults.Tiers };
        sw.Add(tiers);
        var similarityBase = new Option<double>("--similarity-base")
        {
            Description = "Base b of the similarity weight 10·b^(s / max s) of a battle whose prompt has cosine s to the query (RouteLLM: 10); --gold-weight auto also tries 100 and 1000.",
            DefaultValueFactory = _ => swDefaults.SimilarityBase,
        };
        sw.Add(similarityBase);
        var swExtend = ExtendOption("its training prompts, win table and the tiers of its models are kept exactly, and each new model joins the tier rated nearest it");
        sw.Add(swExtend);
        var swShared = TrainingOptions.AddTo(sw);
        SimilarityWeightedRouterTrainer.Options SwOptions(ParseResult result, EmbedderInfo embedder, int seed) => swShared.Apply(result, new SimilarityWeightedRouterTrainer.Options
        {
            Embedder = embedder,
            Tiers = result.GetValue(tiers),
            SimilarityBase = result.GetValue(similarityBase),
            Seed = seed,
            Extend = ReadExtended<SimilarityWeightedRouterModel>(result.GetValue(swExtend), "sw"),
        });
        sw.SetAction((result, cancellationToken) => CommandRunner.RunAsync(() => RunEmbeddingRouterAsync(
            result,
            swShared,
            (ml, embedder, seed) => ml.Routing().Trainers.SimilarityWeighted(SwOptions(result, embedder, seed)),
            (ml, embedder, seed) => SelectionCandidates.SimilarityWeighted(ml, () => SwOptions(result, embedder, seed)),
            cancellationToken)));

        var random = new Command("random", "RouteLLM's random baseline (seeded).");
        var randomShared = TrainingOptions.AddTo(random);
        random.SetAction((result, cancellationToken) => CommandRunner.RunAsync(() =>
        {
            var ml = new MLContext(seed: result.GetValue(randomShared.Seed));
            var (battles, _) = randomShared.ReadBattles(result);
            var model = ml.Routing().Trainers.Random(randomShared.Apply(result, new RandomRouterTrainer.Options { Seed = result.GetValue(randomShared.Seed) }))
                .Fit(ml.Routing().LoadBattles(battles)).Model;
            randomShared.Save(result, model);
            return Task.FromResult(0);
        }));

        command.Add(mf);
        command.Add(sw);
        command.Add(random);
        command.Add(CreateBert());
        command.Add(CreateDifficulty());
        return command;
    }

    internal static void Save(RouterModel model, FileInfo output)
    {
        RouterZip.Save(model, output.FullName);
        var metrics = new Table().Border(TableBorder.Rounded).AddColumn("training metric").AddColumn("value");
        foreach (var (name, value) in model.Manifest.TrainingMetrics.Where(m => !m.Key.Contains(".candidate", StringComparison.Ordinal)))
        {
            metrics.AddRow(Markup.Escape(name), value.ToString("G6", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(metrics);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output.FullName} ({new FileInfo(output.FullName).Length / 1024.0 / 1024.0:F2} MiB, kind {model.Manifest.Kind}, {model.Manifest.StrongModel} vs {model.Manifest.WeakModel})"));
    }
}
