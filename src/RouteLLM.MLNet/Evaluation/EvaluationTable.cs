using System.Globalization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// The console table of <c>routellm evaluate</c> as data: column headers and each result's cells, formatted with the
/// invariant culture (APGR to 3 decimals, shares as percentages), for any table renderer.
/// </summary>
public static class EvaluationTable
{
    /// <summary>The column headers.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "benchmark", "router", "prompts", "dropped (list/near)", "strong/weak quality", "APGR [95% CI]",
        "CPT(20%)", "CPT(50%) [95% CI]", "CPT(80%)", "random APGR", "oracle APGR",
    ];

    /// <summary>The cells of one result, one per column of <see cref="Columns"/>.</summary>
    /// <param name="evaluation">The result.</param>
    public static IReadOnlyList<string> Cells(BenchmarkEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return
        [
            evaluation.Benchmark,
            evaluation.Router,
            evaluation.Prompts.ToString(CultureInfo.InvariantCulture),
            Format($"{evaluation.Dropped.ContaminatedList}/{evaluation.Dropped.NearTraining}"),
            Format($"{evaluation.StrongQuality:0.###}/{evaluation.WeakQuality:0.###}"),
            Format($"{evaluation.Apgr:0.000} [{evaluation.ApgrCi95.Lower:0.000}, {evaluation.ApgrCi95.Upper:0.000}]"),
            Share(evaluation.Cpt.Cpt20),
            Format($"{Share(evaluation.Cpt.Cpt50)} [{Share(evaluation.Cpt50Ci95.Lower)}, {Share(evaluation.Cpt50Ci95.Upper)}]"),
            Share(evaluation.Cpt.Cpt80),
            Format($"{evaluation.RandomApgr:0.000}"),
            Format($"{evaluation.OracleApgr:0.000}"),
        ];
    }

    private static string Share(double? share) => share is { } value ? Format($"{value * 100:0.0}%") : "never";

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
