namespace RouteLLM.MLNet.Evaluation;

/// <summary>Bootstrap confidence intervals of a router's headline metrics.</summary>
/// <param name="Apgr">95% interval of APGR.</param>
/// <param name="Cpt50">95% interval of CPT(50%), as a fraction of prompts.</param>
public sealed record BootstrapIntervals(ConfidenceInterval Apgr, ConfidenceInterval Cpt50);
