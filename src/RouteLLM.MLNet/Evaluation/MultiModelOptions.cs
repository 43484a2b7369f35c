namespace RouteLLM.MLNet.Evaluation;

/// <summary>Options of <see cref="MultiModelEvaluator"/>.</summary>
public sealed class MultiModelOptions
{
    /// <summary>The router's name in results.</summary>
    public string RouterName { get; set; } = "router";

    /// <summary>The file the router was loaded from, reported as is; null when not given.</summary>
    public string? RouterFile { get; set; }

    /// <summary>λ values per decade of the willingness-to-pay sweep.</summary>
    public int LambdasPerDecade { get; set; } = 8;

    /// <summary>Bootstrap resamples for the 95% intervals (at least 2).</summary>
    public int BootstrapResamples { get; set; } = RoutingMetrics.DefaultBootstrapResamples;

    /// <summary>Seed of the bootstrap.</summary>
    public int Seed { get; set; }
}
