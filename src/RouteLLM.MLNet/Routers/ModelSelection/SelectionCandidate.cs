using Microsoft.ML;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>A router to cross-validate: the training data it learns from and the trainer (with its settings) that learns.</summary>
/// <typeparam name="TModel">The router the trainer produces.</typeparam>
/// <param name="Data">How preference battles and gold labels are combined.</param>
/// <param name="Trainer">The trainer; it must read sample weights from <see cref="BattleColumnNames.Weight"/>.</param>
/// <param name="Settings">What distinguishes this trainer from the others tried (e.g. <c>patience 50</c>); empty for the defaults.</param>
public sealed record SelectionCandidate<TModel>(AugmentationCandidate Data, IEstimator<RouterTransformer<TModel>> Trainer, string Settings = "")
    where TModel : RouterModel
{
    /// <summary>The candidate's name: its data, then its settings when it has any, e.g. <c>gold (2 tiers)</c>.</summary>
    public string Name => Settings.Length == 0 ? Data.ToString() : $"{Data} ({Settings})";
}
