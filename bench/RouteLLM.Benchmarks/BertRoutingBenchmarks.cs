using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.TorchSharp;
using TorchSharp;

namespace RouteLLM.Benchmarks;

/// <summary>
/// Routing decisions of the BERT router (all-MiniLM-L6-v2 encoder, 6 layers × 384, CPU, libtorch on 2 threads),
/// tokenisation included: one prompt per call, and 32 prompts per call (reported per decision). Prompts are English
/// text of about <see cref="PromptTokens"/> word pieces; the default MaxTokens (256) truncates longer ones. The weights
/// are MiniLM's after one training step: speed does not depend on their values.
/// </summary>
[MemoryDiagnoser]
public class BertRoutingBenchmarks
{
    private const int Batch = 32;

    private const string Text =
        "Explain how a hash map handles collisions, compare separate chaining with open addressing, and say which one " +
        "you would pick for a cache that is read far more often than it is written, and why. ";

    private BertRouterModel _router = null!;
    private string[] _one = null!;
    private string[] _batch = null!;
    private readonly float[] _rate = new float[1];
    private readonly float[] _rates = new float[Batch];

    /// <summary>Approximate prompt length in word pieces.</summary>
    [Params(64, 256)]
    public int PromptTokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        var words = Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // About 1.3 word pieces per English word.
        string Prompt(int i) => $"{i}: " + string.Join(' ', Enumerable.Range(0, PromptTokens * 10 / 13).Select(j => words[(i + j) % words.Length]));

        var battles = Enumerable.Range(0, 8).Select(i => new Battle(Prompt(i), "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1",
            i % 2 == 0 ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins));
        var ml = new MLContext(seed: 0);
        var options = new BertRouterTrainer.Options { BatchSize = 4, TimeBudget = TimeSpan.FromTicks(1) };
        _router = ml.Routing().Trainers.Bert(options).Fit(ml.Routing().LoadBattles(battles)).Model;
        _one = [Prompt(100)];
        _batch = [.. Enumerable.Range(200, Batch).Select(Prompt)];
    }

    [Benchmark(Description = "BERT: one routing decision, batch of 1")]
    public float OnePrompt()
    {
        _router.CalculateStrongWinRates(_one, [], _rate);
        return _rate[0];
    }

    [Benchmark(Description = "BERT: one routing decision, in batches of 32", OperationsPerInvoke = Batch)]
    public float BatchOf32()
    {
        _router.CalculateStrongWinRates(_batch, [], _rates);
        return _rates[0];
    }
}
