using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Embeddings;

/// <summary>
/// The batching itself, on a fake clock and a recording runner: which texts run together and when, and whose vector
/// each caller gets. Nothing here depends on how fast the machine is: a window elapses only when the test advances the
/// clock, and a full batch is awaited.
/// </summary>
public sealed class MicroBatchingEmbeddingGeneratorTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(2);
    private readonly HashingEmbeddingGenerator _hashing = new(dimension: 8);
    private readonly FakeTimeProvider _time = new();
    private readonly List<string[]> _batches = [];
    private Exception? _failure;

    public void Dispose() => _hashing.Dispose();

    [Fact]
    public async Task A_full_batch_runs_at_once_and_each_caller_gets_its_own_vector()
    {
        using var batching = Create(maxBatchSize: 4);
        string[] texts = ["alpha one", "beta two", "gamma three", "delta four"];

        var calls = texts.Select(text => batching.GenerateAsync([text])).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.Equal([texts], Batches());
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(_hashing.Embed(texts[i]), results[i][0].Vector.ToArray());
        }
    }

    [Fact]
    public async Task A_batch_that_is_not_full_runs_when_its_window_elapses()
    {
        using var batching = Create(maxBatchSize: 8);
        string[] texts = ["first text", "second text", "third text"];
        var calls = texts.Select(text => batching.GenerateAsync([text])).ToArray();

        _time.Advance(Window - TimeSpan.FromTicks(1));
        Assert.Empty(Batches());
        Assert.All(calls, call => Assert.False(call.IsCompleted));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal([texts], Batches());
        Assert.Equal(_hashing.Embed("third text"), (await calls[2])[0].Vector.ToArray());
    }

    [Fact]
    public async Task Texts_after_a_full_batch_start_the_next_batch_and_its_window()
    {
        using var batching = Create(maxBatchSize: 2);
        var calls = Enumerable.Range(0, 5).Select(i => batching.GenerateAsync([$"text number {i}"])).ToArray();
        await Task.WhenAll(calls[..4]);
        Assert.False(calls[4].IsCompleted);

        _time.Advance(Window);
        await calls[4];
        Assert.Equal(
            [["text number 0", "text number 1"], ["text number 2", "text number 3"], ["text number 4"]],
            Batches().OrderBy(batch => batch[0], StringComparer.Ordinal));
        Assert.Equal(3, batching.Batches);
        Assert.Equal(5, batching.BatchedTexts);
    }

    [Fact]
    public async Task A_call_of_several_texts_gets_them_back_in_order_beside_other_calls()
    {
        using var batching = Create(maxBatchSize: 16);
        string[] fruits = ["red apple", "green pear", "blue plum"];
        var several = batching.GenerateAsync(fruits);
        var single = batching.GenerateAsync(["yellow lemon"]);

        _time.Advance(Window);
        var (many, one) = (await several, await single);
        Assert.Equal([["red apple", "green pear", "blue plum", "yellow lemon"]], Batches());
        Assert.Equal(fruits.Select(_hashing.Embed), many.Select(e => e.Vector.ToArray()));
        Assert.Equal(_hashing.Embed("yellow lemon"), one[0].Vector.ToArray());
        Assert.All(many.Concat(one), e => Assert.Equal("test-hashing-8", e.ModelId));
    }

    [Fact]
    public async Task A_cancelled_call_returns_at_once_and_its_text_is_not_run()
    {
        using var batching = Create(maxBatchSize: 8);
        using var cancellation = new CancellationTokenSource();
        var kept = batching.GenerateAsync(["kept before"]);
        var cancelled = batching.GenerateAsync(["cancelled"], cancellationToken: cancellation.Token);
        var after = batching.GenerateAsync(["kept after"]);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Empty(Batches());

        _time.Advance(Window);
        await Task.WhenAll(kept, after);
        Assert.Equal([["kept before", "kept after"]], Batches());
    }

    [Fact]
    public async Task A_failed_run_fails_every_caller_in_the_batch_and_the_next_batch_runs()
    {
        using var batching = Create(maxBatchSize: 8);
        _failure = new InvalidOperationException("the ONNX Runtime call failed");
        string[] texts = ["one", "two", "three"];
        var calls = texts.Select(text => batching.GenerateAsync([text])).ToArray();

        _time.Advance(Window);
        foreach (var call in calls)
        {
            Assert.Same(_failure, await Assert.ThrowsAsync<InvalidOperationException>(() => call));
        }

        _failure = null;
        var next = batching.GenerateAsync(["four"]);
        _time.Advance(Window);
        Assert.Equal(_hashing.Embed("four"), (await next)[0].Vector.ToArray());
    }

    [Fact]
    public async Task Disposing_fails_waiting_callers_and_refuses_new_ones()
    {
        var batching = Create(maxBatchSize: 8);
        var waiting = batching.GenerateAsync(["never run"]);

        batching.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batching.GenerateAsync(["too late"]));
        _time.Advance(Window);
        Assert.Empty(Batches());
    }

    [Theory]
    [InlineData(-1, 16)]
    [InlineData(1001, 16)]
    [InlineData(2, 0)]
    [InlineData(2, 257)]
    public void Options_out_of_range_are_refused(int windowMs, int maxBatchSize)
    {
        var options = new MicroBatchingOptions { Window = TimeSpan.FromMilliseconds(windowMs), MaxBatchSize = maxBatchSize };
        Assert.Throws<ArgumentOutOfRangeException>(() => new MicroBatchingEmbeddingGenerator(_hashing, Run, options, _time, leaveOpen: true));
    }

    [Fact]
    public void Only_a_MiniLM_generator_can_be_batched()
    {
        var error = Assert.Throws<ArgumentException>(() => new MicroBatchingEmbeddingGenerator(_hashing));
        Assert.Contains("MiniLmEmbeddingGenerator", error.Message, StringComparison.Ordinal);
    }

    private MicroBatchingEmbeddingGenerator Create(int maxBatchSize) =>
        new(_hashing, Run, new MicroBatchingOptions { Window = Window, MaxBatchSize = maxBatchSize }, _time, leaveOpen: true);

    private float[] Run(IReadOnlyList<string> texts)
    {
        lock (_batches)
        {
            _batches.Add([.. texts]);
        }

        return _failure is { } failure ? throw failure : [.. texts.SelectMany(_hashing.Embed)];
    }

    private List<string[]> Batches()
    {
        lock (_batches)
        {
            return [.. _batches];
        }
    }
}
