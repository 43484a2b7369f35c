namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// RouteLLM's routing metrics of a scored data view (<c>mlContext.Routing().Evaluate</c>), as ML.NET's evaluators
/// return metrics of a scored view.
/// </summary>
/// <param name="Prompts">Rows evaluated, one per prompt.</param>
/// <param name="Apgr">Average performance gap recovered (see <see cref="RoutingMetrics.Apgr"/>).</param>
/// <param name="Cpt">CPT(20%), CPT(50%), CPT(80%).</param>
/// <param name="Curve">The router's trade-off curve (see <see cref="RoutingMetrics.Curve"/>).</param>
/// <param name="RandomApgr">The random router's APGR on the same prompts, averaged over RouteLLM's 10 seeds.</param>
/// <param name="OracleApgr">The oracle's APGR on the same prompts.</param>
public sealed record RoutingEvaluationMetrics(
    int Prompts, double Apgr, CallPerformanceThresholds Cpt, IReadOnlyList<RoutingPoint> Curve, double RandomApgr, double OracleApgr);
