
namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>What labeling a set of prompts should cost (<c>--dry-run</c>), before any call is made.</summary>
/// <param name="Calls">Calls the job needs.</param>
/// <param name="InputTokens">Input tokens: counted for the prompts and judge template, estimated for the answers the judge reads.</param>
/// <param name="OutputTokens">Output tokens: the expected answer and judgement lengths.</param>
/// <param name="Usd">The estimated cost at the models' prices.</param>
/// <param name="WorstCaseUsd">The cost if every call used all of its <c>max_tokens</c>: what <c>--max-usd</c> reserves.</param>
public sealed record LabelingCostEstimate(int Calls, long InputTokens, long OutputTokens, decimal Usd, decimal WorstCaseUsd)
{
    /// <summary>Estimates the cost of labeling <paramref name="prompts"/>.</summary>
    /// <param name="prompts">The prompts.</param>
    /// <param name="options">The contestants, the judge and the token limits.</param>
    /// <param name="countTokens">Counts the tokens of a text.</param>
    /// <param name="expectedAnswerTokens">The expected length of an answer, in tokens.</param>
    /// <param name="expectedJudgementTokens">The expected length of a judgement, in tokens.</param>
    public static LabelingCostEstimate For(IReadOnlyList<string> prompts, LabelingOptions options, Func<string, int> countTokens,
        int expectedAnswerTokens, int expectedJudgementTokens)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(countTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedAnswerTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedJudgementTokens);
        options.Validate();
        var judge = options.Judge!;
        var template = PairwiseJudgePrompt.Messages("", "", "").Sum(m => countTokens(m.Text) + BattleLabeler.TokensPerMessage);
        var worstTemplate = PairwiseJudgePrompt.Messages("", "", "").Sum(m => System.Text.Encoding.UTF8.GetByteCount(m.Text) + BattleLabeler.TokensPerMessage);
        var pairs = options.Contestants.Count * (options.Contestants.Count - 1) / 2;
        long input = 0, output = 0;
        decimal usd = 0m, worst = 0m;
        foreach (var prompt in prompts)
        {
            var promptTokens = countTokens(prompt) + BattleLabeler.TokensPerMessage;
            var promptBound = System.Text.Encoding.UTF8.GetByteCount(prompt) + BattleLabeler.TokensPerMessage;
            foreach (var contestant in options.Contestants)
            {
                input += promptTokens;
                output += expectedAnswerTokens;
                usd += contestant.Price.Cost(promptTokens, expectedAnswerTokens);
                worst += contestant.Price.Cost(promptBound, options.MaxAnswerTokens);
            }

            // Each pair is judged twice; the judge reads the prompt and both answers.
            var judgeInput = template + promptTokens + 2L * expectedAnswerTokens;
            var judgeBound = worstTemplate + promptBound + 2L * 4 * options.MaxAnswerTokens;
            input += 2L * pairs * judgeInput;
            output += 2L * pairs * expectedJudgementTokens;
            usd += 2 * pairs * judge.Price.Cost(judgeInput, expectedJudgementTokens);
            worst += 2 * pairs * judge.Price.Cost(judgeBound, options.MaxJudgeTokens);
        }

        return new LabelingCostEstimate(prompts.Count * (options.Contestants.Count + 2 * pairs), input, output, usd, worst);
    }
}
