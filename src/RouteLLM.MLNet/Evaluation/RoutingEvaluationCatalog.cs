using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Routers;

// Catalog extensions live in ML.NET's namespace, as ML.NET's own component packages do.
namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Routing().Evaluate(...)</c>; it lives with the metrics, a floor above the routers.</summary>
public static class RoutingEvaluationCatalog
{
    /// <summary>
    /// RouteLLM's routing metrics of a scored data view, one row per benchmark prompt: the router's score (e.g. the
    /// output of a fitted router pipeline) and both models' quality on the prompt.
    /// </summary>
    /// <param name="catalog">The routing catalog.</param>
    /// <param name="data">Scored rows.</param>
    /// <param name="strongQualityColumnName">Double column: the strong model's quality on the prompt (e.g. 1/0 correctness).</param>
    /// <param name="weakQualityColumnName">Double column: the weak model's quality on the same scale.</param>
    /// <param name="scoreColumnName">Single column: the router's P(strong wins).</param>
    /// <param name="promptColumnName">Text column: the prompt, which seeds the random router's draws.</param>
    /// <exception cref="ArgumentException">A column is missing or of another type, there are no rows, or both models have the same mean quality.</exception>
    public static RoutingEvaluationMetrics Evaluate(
        this RoutingCatalog catalog,
        IDataView data,
        string strongQualityColumnName = nameof(BenchmarkPrompt.StrongQuality),
        string weakQualityColumnName = nameof(BenchmarkPrompt.WeakQuality),
        string scoreColumnName = RouterTransformer.StrongWinRateColumnName,
        string promptColumnName = BattleColumnNames.Prompt)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var scores = Column<float>(data, scoreColumnName, NumberDataViewType.Single);
        var strong = Column<double>(data, strongQualityColumnName, NumberDataViewType.Double);
        var weak = Column<double>(data, weakQualityColumnName, NumberDataViewType.Double);
        var prompts = Column<ReadOnlyMemory<char>>(data, promptColumnName, TextDataViewType.Instance)
            .Select((text, i) => new BenchmarkPrompt(text.ToString(), strong[i], weak[i]))
            .ToList();
        var curve = RoutingMetrics.Curve(scores, prompts);
        return new RoutingEvaluationMetrics(
            prompts.Count,
            RoutingMetrics.Apgr(curve),
            CallPerformanceThresholds.Of(curve),
            curve,
            RoutingMetrics.Apgr(RoutingMetrics.RandomRouterCurve(prompts)),
            RoutingMetrics.Apgr(RoutingMetrics.Oracle(prompts)));
    }

    private static T[] Column<T>(IDataView data, string name, DataViewType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var column = data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The scored data have no column '{name}'. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        return column.Type.Equals(type)
            ? [.. data.GetColumn<T>(column)]
            : throw new ArgumentException($"Column '{name}' has type {column.Type}; the routing evaluation reads {type}.");
    }
}
