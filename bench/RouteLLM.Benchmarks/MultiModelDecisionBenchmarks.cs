using BenchmarkDotNet.Attributes;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.Benchmarks;

/// <summary>
/// One whole routing decision among 20 priced models, embedding excluded: a committed router (artifacts/, 103 models)
/// predicts every model's quality for the prompt's embedding, the 20 models of the deployment's catalogue are priced for
/// the prompt (tiktoken count × price, as <c>MultiModelRouter</c> prices them), and willingness to pay ranks them.
/// </summary>
[MemoryDiagnoser]
public class MultiModelDecisionBenchmarks
{
    private const int CatalogueModels = 20;

    // An MMLU-shaped prompt of about 100 tokens: what the catalogue's cost estimate counts.
    private static readonly string[] Prompt =
    [
        "The following is a multiple choice question about high school chemistry. Which of the following statements " +
        "about the rate of a chemical reaction is correct when the temperature of the reacting mixture is raised by ten " +
        "degrees Celsius while the concentrations stay the same?\nA) The activation energy decreases.\nB) More collisions " +
        "have at least the activation energy.\nC) The equilibrium constant is unchanged.\nD) The reaction becomes " +
        "exothermic.\nAnswer:",
    ];

    private readonly WillingnessToPayPolicy _policy = new(lambda: 50);
    private RouterModel _router = null!;
    private ModelCatalogue _catalogue = null!;
    private float[][] _embeddings = [];
    private int _next;

    /// <summary>The committed router zip in artifacts/.</summary>
    [Params("mf.zip", "sw.zip")]
    public string Router { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _router = RouterZip.Load(Path.Combine(
            RepositoryDirectory.Find() ?? throw new DirectoryNotFoundException($"No RouteLLM.MLNet.sln above {AppContext.BaseDirectory}: run the benchmarks from the repository."),
            "artifacts",
            Router));
        var random = new Random(11);
        var models = _router.Manifest.Models.OrderBy(_ => random.Next()).Take(CatalogueModels).ToArray();
        _catalogue = ModelCatalogue.Create(models.Select(m => new CatalogueModel
        {
            Model = m,
            InputUsdPerMTok = 0.1 + 30 * random.NextDouble(),
            OutputUsdPerMTok = 0.1 + 60 * random.NextDouble(),
            AvgOutputChars = 500 + 1500 * random.NextDouble(),
        }));
        var dimension = _router.Manifest.Embedder!.Dimension;
        _embeddings = [.. Enumerable.Range(0, 16).Select(_ => SyntheticJudgeData.UnitVector(random, dimension))];
    }

    /// <summary>Predict 103 models, price the catalogue's 20 for the prompt, rank them by willingness to pay.</summary>
    [Benchmark]
    public ModelDecision Decide()
    {
        var embedding = _embeddings[_next++ % _embeddings.Length];
        var priced = PricedPredictions.Create(_router.PredictQualities(Prompt, embedding), Prompt, _catalogue);
        return _policy.Decide(priced, 0);
    }
}
