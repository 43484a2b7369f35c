using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Policies;

/// <summary>
/// A router's predictions restricted to the models a deployment can call, each with a cost: the router's learned cost
/// where it has one, else the catalogue's <see cref="RequestCost"/> for the prompt. Row-major, as
/// <see cref="ModelPredictions"/>. What was left out, and why, is in <see cref="Warnings"/>.
/// </summary>
public sealed class PricedPredictions
{
    private readonly float[] _quality;
    private readonly double[] _cost;

    private PricedPredictions(IReadOnlyList<string> models, int promptCount, float[] quality, double[] cost, ModelAliases aliases, IReadOnlyList<string> warnings)
    {
        Models = models;
        PromptCount = promptCount;
        _quality = quality;
        _cost = cost;
        Aliases = aliases;
        Warnings = warnings;
    }

    /// <summary>The routable models, in column order (the catalogue's names when a catalogue was given).</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>How many prompts (rows).</summary>
    public int PromptCount { get; }

    /// <summary>The spellings <see cref="Allow"/> accepts.</summary>
    public ModelAliases Aliases { get; }

    /// <summary>Models left out and why: a catalogue model the router never saw, a router model with no price.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Prices <paramref name="predictions"/>. With a catalogue, the routable models are the router's models the
    /// catalogue lists; without one, the router must have learned costs and all its models are routable.
    /// </summary>
    /// <param name="predictions">The router's predictions.</param>
    /// <param name="prompts">The prompts predicted (their tokens price the request); as many as the predictions' rows.</param>
    /// <param name="catalogue">The deployment's models and prices, or null to route among the router's models on its learned costs.</param>
    /// <param name="tokens">Counts prompt tokens; <see cref="TokenCounter.Default"/> when null.</param>
    /// <exception cref="ArgumentException">No model is left to route among, or no cost is known.</exception>
    public static PricedPredictions Create(ModelPredictions predictions, IReadOnlyList<string> prompts, ModelCatalogue? catalogue = null, TokenCounter? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count != predictions.PromptCount)
        {
            throw new ArgumentException($"{prompts.Count} prompts for {predictions.PromptCount} rows of predictions.", nameof(prompts));
        }

        if (catalogue is null && predictions.CostUsd is null)
        {
            throw new ArgumentException("The router learned no costs: give a catalogue to price its models.", nameof(catalogue));
        }

        var (columns, names, warnings) = Routable(predictions.Models, catalogue);
        var count = columns.Length;
        var quality = new float[predictions.PromptCount * count];
        var cost = new double[quality.Length];
        for (var p = 0; p < predictions.PromptCount; p++)
        {
            var qualityRow = predictions.QualityRow(p);
            var costRow = predictions.CostRow(p);
            for (var j = 0; j < count; j++)
            {
                quality[(p * count) + j] = qualityRow[columns[j]];
            }

            if (costRow.IsEmpty)
            {
                RequestCost.Usd(catalogue!, names, prompts[p], tokens ?? TokenCounter.Default, cost.AsSpan(p * count, count));
                continue;
            }

            for (var j = 0; j < count; j++)
            {
                cost[(p * count) + j] = costRow[columns[j]];
            }
        }

        return new PricedPredictions(names, predictions.PromptCount, quality, cost, catalogue?.Aliases ?? ModelAliases.Default, warnings);
    }

    /// <summary>Prompt <paramref name="prompt"/>'s predicted quality of every model.</summary>
    /// <param name="prompt">The row.</param>
    public ReadOnlySpan<float> QualityRow(int prompt) => _quality.AsSpan(prompt * Models.Count, Models.Count);

    /// <summary>Prompt <paramref name="prompt"/>'s cost of every model, in USD.</summary>
    /// <param name="prompt">The row.</param>
    public ReadOnlySpan<double> CostRow(int prompt) => _cost.AsSpan(prompt * Models.Count, Models.Count);

    /// <summary>One flag per model: whether a request that allows only <paramref name="subset"/> may use it.</summary>
    /// <param name="subset">Model names in any spelling the catalogue knows.</param>
    /// <exception cref="ArgumentException">A name is not a routable model; the message names it and lists the routable ones.</exception>
    public bool[] Allow(IEnumerable<string> subset)
    {
        ArgumentNullException.ThrowIfNull(subset);
        var allowed = new bool[Models.Count];
        foreach (var name in subset)
        {
            var index = IndexOf(name);
            if (index < 0)
            {
                throw new ArgumentException(
                    $"Unknown model '{name}' in the allowed models; the router can route to {string.Join(", ", Models)}.", nameof(subset));
            }

            allowed[index] = true;
        }

        return allowed.Contains(true) ? allowed : throw new ArgumentException("The allowed models are empty.", nameof(subset));
    }

    /// <summary>The column of <paramref name="model"/> in any known spelling, or -1.</summary>
    /// <param name="model">A model name.</param>
    public int IndexOf(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        for (var i = 0; i < Models.Count; i++)
        {
            if (Aliases.AreSame(Models[i], model))
            {
                return i;
            }
        }

        return -1;
    }

    private static (int[] Columns, string[] Names, string[] Warnings) Routable(IReadOnlyList<string> routerModels, ModelCatalogue? catalogue)
    {
        if (catalogue is null)
        {
            return ([.. Enumerable.Range(0, routerModels.Count)], [.. routerModels], []);
        }

        var columns = new List<int>();
        var names = new List<string>();
        var warnings = new List<string>();
        for (var i = 0; i < routerModels.Count; i++)
        {
            if (catalogue.Find(routerModels[i]) is { } entry)
            {
                columns.Add(i);
                names.Add(entry.Model);
            }
            else
            {
                warnings.Add($"router model '{routerModels[i]}' is not in the catalogue: left out");
            }
        }

        foreach (var entry in catalogue.Models.Where(m => !names.Contains(m.Model, StringComparer.Ordinal)))
        {
            warnings.Add($"catalogue model '{entry.Model}' was never seen by the router: routing among the rest");
        }

        return names.Count > 0
            ? ([.. columns], [.. names], [.. warnings])
            : throw new ArgumentException(
                $"None of the router's models ({string.Join(", ", routerModels)}) is in the catalogue under its name or an alias.", nameof(catalogue));
    }
}
