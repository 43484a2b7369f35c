using RouteLLM.MLNet.Catalogue;

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
    /// <param name="tokens">Counts the prompts' and the judge template's tokens.</param>
    /// <param name="expectedJudgementTokens">The expected length of a judgement, in tokens.</param>
    /// <remarks>Each answer is its model's typical length (<see cref="LabelingModel.ExpectedAnswerTokens"/>, from the catalogue).</remarks>
    public static LabelingCostEstimate For(IReadOnlyList<string> prompts, LabelingOptions options, TokenCounter tokens, int expectedJudgementTokens)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedJudgementTokens);
        options.Validate();
        var judge = options.Judge!;
        var template = PairwiseJudgePrompt.Messages("", "", "").Sum(m => tokens.Count(m.Text) + BattleLabeler.TokensPerMessage);
        var worstTemplate = PairwiseJudgePrompt.Messages("", "", "").Sum(m => System.Text.Encoding.UTF8.GetByteCount(m.Text) + BattleLabeler.TokensPerMessage);
        var pairs = options.Contestants.Count * (options.Contestants.Count - 1) / 2;
        long input = 0, output = 0;
        decimal usd = 0m, worst = 0m;
        foreach (var prompt in prompts)
        {
            var promptTokens = tokens.Count(prompt) + BattleLabeler.TokensPerMessage;
            var promptBound = System.Text.Encoding.UTF8.GetByteCount(prompt) + BattleLabeler.TokensPerMessage;
            foreach (var contestant in options.Contestants)
            {
                input += promptTokens;
                output += contestant.ExpectedAnswerTokens;
                usd += contestant.Cost(promptTokens, contestant.ExpectedAnswerTokens);
                worst += contestant.Cost(promptBound, options.MaxAnswerTokens);
            }

            // Each pair is judged twice; the judge reads the prompt and both answers.
            var judgeBound = worstTemplate + promptBound + 2L * 4 * options.MaxAnswerTokens;
            for (var a = 0; a < options.Contestants.Count; a++)
            {
                for (var b = a + 1; b < options.Contestants.Count; b++)
                {
                    var judgeInput = template + promptTokens + options.Contestants[a].ExpectedAnswerTokens + options.Contestants[b].ExpectedAnswerTokens;
                    input += 2L * judgeInput;
                    output += 2L * expectedJudgementTokens;
                    usd += 2 * judge.Cost(judgeInput, expectedJudgementTokens);
                    worst += 2 * judge.Cost(judgeBound, options.MaxJudgeTokens);
                }
            }
        }

        return new LabelingCostEstimate(prompts.Count * (options.Contestants.Count + 2 * pairs), input, output, usd, worst);
    }
}
