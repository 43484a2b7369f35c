using BenchmarkDotNet.Attributes;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.Benchmarks;

/// <summary>One routing decision among N priced models from predictions already made (embedding and scoring excluded).</summary>
public class PolicyDecisionBenchmarks
{
    private PricedPredictions _predictions = null!;
    private bool[] _allowed = [];
    private readonly WillingnessToPayPolicy _willingnessToPay = new(lambda: 50);
    private readonly QualityFloorPolicy _qualityFloor = new(tolerance: 0.05);

    /// <summary>Models to choose among.</summary>
    [Params(20)]
    public int Models { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var names = Enumerable.Range(0, Models).Select(i => $"model-{i}").ToArray();
        var quality = names.Select(_ => (float)random.NextDouble()).ToArray();
        var cost = names.Select(_ => random.NextDouble() * 0.01).ToArray();
        _predictions = PricedPredictions.Create(new ModelPredictions(names, 1, quality, cost), ["a prompt"]);
        _allowed = _predictions.Allow(names.Where((_, i) => i % 2 == 0));
    }

    /// <summary>Willingness to pay over every model, with the full failover ranking.</summary>
    [Benchmark(Baseline = true)]
    public ModelDecision WillingnessToPay() => _willingnessToPay.Decide(_predictions, 0);

    /// <summary>Quality floor over every model.</summary>
    [Benchmark]
    public ModelDecision QualityFloor() => _qualityFloor.Decide(_predictions, 0);

    /// <summary>Willingness to pay over a per-request subset of half the models.</summary>
    [Benchmark]
    public ModelDecision WillingnessToPayOnSubset() => _willingnessToPay.Decide(_predictions, 0, _allowed);
}
