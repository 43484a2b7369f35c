using RouteLLM.MLNet.Evaluation;

namespace RouteLLM.LearningCurve;

/// <summary>One router trained on <paramref name="Labelled"/> labelled prompts and evaluated on the unlabelled ones.</summary>
/// <param name="Data">The replayed traffic.</param>
/// <param name="Seed">The seed of the prompt order and of the trainers.</param>
/// <param name="Labelled">Prompts labelled (and trained on).</param>
/// <param name="DecisiveBattles">Labelled battles that were not ties.</param>
/// <param name="Router">mf or sw.</param>
/// <param name="EvaluationPrompts">Unlabelled prompts evaluated on.</param>
/// <param name="Apgr">APGR on them.</param>
/// <param name="ApgrInterval">Its 95% bootstrap interval.</param>
/// <param name="RandomApgr">The random router's APGR on the same prompts.</param>
internal sealed record LearningCurvePoint(
    string Data, int Seed, int Labelled, int DecisiveBattles, string Router, int EvaluationPrompts, double Apgr, ConfidenceInterval ApgrInterval, double RandomApgr);
