using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>
/// RouteLLM's judge recipe on a user's own prompts: every contestant answers each prompt, then a judge compares each
/// pair twice with MT-Bench's pairwise prompt, the answers swapped the second time; two verdicts that disagree make
/// a tie. Every finished call is journaled first, so a killed run resumes without paying for a call twice.
/// </summary>
public sealed class BattleLabeler
{
    /// <summary>Chat formatting tokens a message may add beyond its text, in the worst-case bound of a call's input.</summary>
    internal const int TokensPerMessage = 8;

    private readonly LabelingOptions _options;
    private readonly LabelingModel _judge;
    private readonly LabelingModel[] _contestants;

    /// <summary>Creates a labeler.</summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="LabelingOptions.Validate"/>).</exception>
    public BattleLabeler(LabelingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _judge = options.Judge!;
        _contestants = [.. options.Contestants];
    }

    /// <summary>The calls labeling <paramref name="promptCount"/> prompts needs: one answer per contestant, two judgements per pair.</summary>
    public int CallsFor(int promptCount) => promptCount * (_contestants.Length + _contestants.Length * (_contestants.Length - 1));

    /// <summary>Labels <paramref name="prompts"/>, resuming from the journal.</summary>
    /// <param name="prompts">The prompts, in the order the battles are written.</param>
    /// <param name="progress">Told after each finished call.</param>
    /// <param name="cancellationToken">Stops the run; finished calls stay in the journal.</param>
    /// <returns>The battles of the fully labeled prompts and what the job cost.</returns>
    /// <exception cref="InvalidDataException">The journal is corrupt.</exception>
    public async Task<LabelingResult> LabelAsync(IReadOnlyList<string> prompts, IProgress<LabelingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        using var journal = LabelJournal.Open(_options.JournalPath);
        var run = new Run(this, journal, CallsFor(prompts.Count), progress);
        var battles = new LabeledBattle[prompts.Count][];
        await Parallel.ForEachAsync(Enumerable.Range(0, prompts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (index, token) => battles[index] = await run.LabelPromptAsync(index, prompts[index], token).ConfigureAwait(false) ?? []).ConfigureAwait(false);
        return run.Result([.. battles.SelectMany(b => b)]);
    }

    private static JudgeVerdict? Swap(JudgeVerdict? verdict) => verdict switch
    {
        JudgeVerdict.A => JudgeVerdict.B,
        JudgeVerdict.B => JudgeVerdict.A,
        _ => verdict,
    };

    private static BattleOutcome Outcome(JudgeVerdict? first, JudgeVerdict? second) => first == second
        ? first switch
        {
            JudgeVerdict.A => BattleOutcome.ModelAWins,
            JudgeVerdict.B => BattleOutcome.ModelBWins,
            _ => BattleOutcome.Tie,
        }
        : BattleOutcome.Tie;

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static long InputTokenBound(IEnumerable<ChatMessage> messages) =>
        messages.Sum(m => (long)Encoding.UTF8.GetByteCount(m.Text) + TokensPerMessage);

    /// <summary>One run's shared state: the journal, the spending limit, the counters.</summary>
    private sealed class Run(BattleLabeler labeler, LabelJournal journal, int callsTotal, IProgress<LabelingProgress>? progress)
    {
        private readonly SpendingLimit _limit = new(labeler._options.MaxUsd, journal.Spent);
        private readonly Lock _lock = new();
        private int _callsDone;
        private int _callsMade;
        private int _callsReused;
        private long _inputTokens;
        private long _outputTokens;
        private int _failed;
        private string? _firstFailure;
        private int _unreadable;
        private volatile bool _stopped;

        public async Task<LabeledBattle[]?> LabelPromptAsync(int index, string prompt, CancellationToken cancellationToken)
        {
            try
            {
                var hash = Hash(prompt);
                var answers = new string[labeler._contestants.Length];
                for (var i = 0; i < answers.Length; i++)
                {
                    var model = labeler._contestants[i];
                    answers[i] = await CallAsync($"answer\t{model.Name}\t{hash}", model, [new ChatMessage(ChatRole.User, prompt)],
                        labeler._options.MaxAnswerTokens, cancellationToken).ConfigureAwait(false);
                }

                var battles = new List<LabeledBattle>();
                for (var a = 0; a < answers.Length; a++)
                {
                    for (var b = a + 1; b < answers.Length; b++)
                    {
                        var first = await JudgeAsync(hash, prompt, a, b, answers, cancellationToken).ConfigureAwait(false);
                        var swapped = await JudgeAsync(hash, prompt, b, a, answers, cancellationToken).ConfigureAwait(false);
                        battles.Add(new LabeledBattle(index, prompt, labeler._contestants[a].Name, labeler._contestants[b].Name, answers[a], answers[b],
                            Outcome(first, Swap(swapped))));
                    }
                }

                return [.. battles];
            }
            catch (SpendingLimitReachedException)
            {
                return null;
            }
            catch (Exception e) when (e is UpstreamCallException or HttpRequestException or InvalidDataException
                || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                lock (_lock)
                {
                    _failed++;
                    _firstFailure ??= e.Message;
                }

                return null;
            }
        }

        public LabelingResult Result(IReadOnlyList<LabeledBattle> battles) =>
            new(battles, _failed, _firstFailure, _stopped, _callsMade, _callsReused, _unreadable, Totals());

        private async Task<JudgeVerdict?> JudgeAsync(string hash, string prompt, int shownA, int shownB, string[] answers, CancellationToken cancellationToken)
        {
            var (a, b) = (labeler._contestants[shownA].Name, labeler._contestants[shownB].Name);
            var judgement = await CallAsync($"judge\t{labeler._judge.Name}\t{a}\t{b}\t{hash}", labeler._judge,
                PairwiseJudgePrompt.Messages(prompt, answers[shownA], answers[shownB]), labeler._options.MaxJudgeTokens, cancellationToken).ConfigureAwait(false);
            var verdict = PairwiseJudgePrompt.Verdict(judgement);
            if (verdict is null)
            {
                Interlocked.Increment(ref _unreadable);
            }

            return verdict;
        }

        private async Task<string> CallAsync(string key, LabelingModel model, IReadOnlyList<ChatMessage> messages, int maxTokens, CancellationToken cancellationToken)
        {
            if (journal.TryGet(key, out var done))
            {
                Interlocked.Increment(ref _callsReused);
                Finished(done);
                return done.Text;
            }

            var worstCase = model.Cost(InputTokenBound(messages), maxTokens);
            if (_stopped || !_limit.TryReserve(worstCase))
            {
                _stopped = true;
                throw new SpendingLimitReachedException();
            }

            ChatResponse response;
            try
            {
                response = await model.Client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = maxTokens, Temperature = 0f }, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _limit.Settle(worstCase, 0m);
                throw;
            }

            // An upstream that reports no usage is charged the worst case, so that the limit still holds.
            var (input, output) = (response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
            var usd = input is { } i && output is { } o ? model.Cost(i, o) : worstCase;
            var entry = new JournalEntry(key, response.Text, input ?? 0, output ?? 0, usd);
            journal.Append(entry);
            _limit.Settle(worstCase, usd);
            Interlocked.Increment(ref _callsMade);
            Finished(entry);
            return entry.Text;
        }

        /// <summary>The next call's worst case would pass the spending limit: no call starts any more.</summary>
        private sealed class SpendingLimitReachedException : Exception;

        private void Finished(JournalEntry entry)
        {
            LabelingProgress now;
            lock (_lock)
            {
                _callsDone++;
                _inputTokens += entry.InputTokens;
                _outputTokens += entry.OutputTokens;
                now = Totals();
            }

            progress?.Report(now);
        }

        private LabelingProgress Totals() => new(_callsDone, callsTotal, _inputTokens, _outputTokens, _limit.Spent);
    }
}
