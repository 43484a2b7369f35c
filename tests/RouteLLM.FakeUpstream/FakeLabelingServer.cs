using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RouteLLM.FakeUpstream;

/// <summary>
/// Contestants and a judge behind one OpenAI-compatible endpoint on 127.0.0.1, for <c>routellm label</c>: a contestant
/// answers "MODEL answers: PROMPT"; the judge model prefers the answer of <see cref="PreferredModel"/> (or says
/// <c>[[A]]</c> whatever it is shown when the question contains <see cref="PositionBiasMarker"/>). It counts every
/// answered call by its exact request, and can throttle with 429 + Retry-After or hold requests until released.
/// </summary>
public sealed class FakeLabelingServer : LoopbackChatServer
{
    /// <summary>A question containing this makes the judge always answer <c>[[A]]</c>: its two verdicts then disagree.</summary>
    public const string PositionBiasMarker = "[position-bias]";

    private readonly ConcurrentDictionary<string, int> _answered = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(DateTimeOffset At, int Status)> _requests = new();
    private readonly TaskCompletionSource _heldArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _throttle;
    private int _answeredTotal;

    private FakeLabelingServer(string judgeModel, string preferredModel)
    {
        JudgeModel = judgeModel;
        PreferredModel = preferredModel;
    }

    /// <summary>The model name that judges.</summary>
    public string JudgeModel { get; }

    /// <summary>The model whose answers the judge prefers.</summary>
    public string PreferredModel { get; }

    /// <summary>Seconds sent in <c>Retry-After</c> with each throttled request.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>When set, requests that arrive after this many answered calls wait until <see cref="ReleaseHeld"/>.</summary>
    public int? HoldAfterAnswered { get; set; }

    /// <summary>Completes when a request is first held.</summary>
    public Task HeldRequestArrived => _heldArrived.Task;

    /// <summary>Calls answered with 200, in all.</summary>
    public int AnsweredCalls => Volatile.Read(ref _answeredTotal);

    /// <summary>Every request's arrival time and the status it got (0 while held or cut off).</summary>
    public IReadOnlyList<(DateTimeOffset At, int Status)> Requests => [.. _requests];

    /// <summary>Starts the server on a free port.</summary>
    public static Task<FakeLabelingServer> StartAsync(string judgeModel, string preferredModel) => StartAsync(new FakeLabelingServer(judgeModel, preferredModel));

    /// <summary>The next <paramref name="count"/> requests get 429 with <see cref="RetryAfterSeconds"/>.</summary>
    public void Throttle(int count) => Interlocked.Exchange(ref _throttle, count);

    /// <summary>Lets held requests (and later ones) through.</summary>
    public void ReleaseHeld()
    {
        HoldAfterAnswered = null;
        _release.TrySetResult();
    }

    /// <summary>Requests answered more than once (the same model asked the same messages again).</summary>
    public IReadOnlyList<string> RepeatedCalls() => [.. _answered.Where(pair => pair.Value > 1).Select(pair => pair.Key)];

    /// <inheritdoc/>
    protected override void OnStopping() => _release.TrySetResult();

    /// <inheritdoc/>
    protected override async Task HandleAsync(HttpContext context, JsonObject request)
    {
        var arrived = DateTimeOffset.UtcNow;
        if (Interlocked.Decrement(ref _throttle) >= 0)
        {
            _requests.Enqueue((arrived, 429));
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsync("""{"error":{"message":"Rate limit reached.","type":"requests"}}""");
            return;
        }

        if (HoldAfterAnswered is { } hold && AnsweredCalls >= hold)
        {
            _requests.Enqueue((arrived, 0));
            _heldArrived.TrySetResult();
            await _release.Task.WaitAsync(context.RequestAborted);
        }

        var model = request["model"]!.GetValue<string>();
        var messages = request["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()).ToArray();
        var content = model == JudgeModel ? Judge(messages[^1]) : $"{model} answers: {messages[^1]}";
        await WriteCompletionAsync(context, "chatcmpl-label", model, content,
            new { prompt_tokens = messages.Sum(m => m.Length) / 4 + 1, completion_tokens = content.Length / 4 + 1 });
        await context.Response.CompleteAsync();
        _requests.Enqueue((arrived, 200));
        _answered.AddOrUpdate(model + "\n" + string.Join("\n", messages), 1, (_, n) => n + 1);
        Interlocked.Increment(ref _answeredTotal);
    }

    private string Judge(string question)
    {
        if (question.Contains(PositionBiasMarker, StringComparison.Ordinal))
        {
            return "Assistant A is better. [[A]]";
        }

        var preferred = PreferredModel + " answers:";
        return JudgedAnswer(question, 'A')!.StartsWith(preferred, StringComparison.Ordinal) ? "Assistant A is better. [[A]]"
            : JudgedAnswer(question, 'B')!.StartsWith(preferred, StringComparison.Ordinal) ? "Assistant B is better. [[B]]"
            : "Neither. [[C]]";
    }
}
