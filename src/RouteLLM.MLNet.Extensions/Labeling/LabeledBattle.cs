using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>One judged pair of answers to one prompt.</summary>
/// <param name="PromptIndex">The prompt's position in the labeled list.</param>
/// <param name="Prompt">The prompt.</param>
/// <param name="ModelA">The first model.</param>
/// <param name="ModelB">The second model.</param>
/// <param name="AnswerA">The first model's answer.</param>
/// <param name="AnswerB">The second model's answer.</param>
/// <param name="Outcome">The verdict of both judgements; a tie when they disagree.</param>
public sealed record LabeledBattle(int PromptIndex, string Prompt, string ModelA, string ModelB, string AnswerA, string AnswerB, BattleOutcome Outcome);
