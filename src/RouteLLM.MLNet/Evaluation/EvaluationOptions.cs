namespace RouteLLM.MLNet.Evaluation;

/// <summary>How <see cref="BenchmarkEvaluator"/> evaluates a router and labels its results.</summary>
public sealed class EvaluationOptions
{
    /// <summary>The router's name in the results; null uses its kind (e.g. <c>mf</c>).</summary>
    public string? RouterName { get; set; }

    /// <summary>The file the router was loaded from, written to the results as <c>router_file</c>; null when none.</summary>
    public string? RouterFile { get; set; }

    /// <summary>
    /// A benchmark prompt whose embedding has at least this cosine similarity to a training prompt's is dropped as
    /// seen in training.
    /// </summary>
    public double NearTrainingCosine { get; set; } = 0.95;

    /// <summary>Seeds the random-router baseline is averaged over.</summary>
    public int RandomSeeds { get; set; } = RoutingMetrics.DefaultRandomSeeds;

    /// <summary>Resamples of the bootstrap confidence intervals.</summary>
    public int BootstrapResamples { get; set; } = RoutingMetrics.DefaultBootstrapResamples;

    /// <summary>Seed of the bootstrap resampling.</summary>
    public int BootstrapSeed { get; set; }
}
