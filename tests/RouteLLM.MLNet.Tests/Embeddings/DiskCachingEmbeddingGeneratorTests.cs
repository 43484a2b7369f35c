using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Embeddings;

public sealed class DiskCachingEmbeddingGeneratorTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly HashingEmbeddingGenerator _reference = new(dimension: 16);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Only_missing_texts_reach_the_inner_generator_in_one_call()
    {
        var inner = new RecordingGenerator();
        using var cache = new DiskCachingEmbeddingGenerator(inner, _directory.Path);

        var first = await cache.GenerateAsync(["a", "b", "a"]);
        Assert.Equal([["a", "b"]], inner.Calls);
        Assert.Equal((0, 2), (cache.Hits, cache.Misses));

        var second = await cache.GenerateAsync(["b", "c", "a", "c"]);
        Assert.Equal([["a", "b"], ["c"]], inner.Calls);
        Assert.Equal((2, 3), (cache.Hits, cache.Misses));

        AssertVectors(["a", "b", "a"], first);
        AssertVectors(["b", "c", "a", "c"], second);
    }

    [Fact]
    public async Task Vectors_persist_across_instances_bit_for_bit()
    {
        string[] texts = ["one", "two", "three"];
        using (var cache = new DiskCachingEmbeddingGenerator(new RecordingGenerator(), _directory.Path))
        {
            await cache.GenerateAsync(texts);
        }

        var inner = new RecordingGenerator();
        using var reopened = new DiskCachingEmbeddingGenerator(inner, _directory.Path);
        AssertVectors(texts, await reopened.GenerateAsync(texts));
        Assert.Empty(inner.Calls);
        Assert.Equal(3, reopened.Hits);
    }

    [Fact]
    public async Task A_torn_tail_is_dropped_and_never_served()
    {
        var (header, record) = await Layout();
        string path;
        using (var cache = new DiskCachingEmbeddingGenerator(new RecordingGenerator(), _directory.Path))
        {
            await cache.GenerateAsync(["a", "b", "c"]);
            path = cache.FilePath;
        }

        // A crash mid-append: the first record ("a") written again in full but with its vector's bytes garbled,
        // then half a record.
        var bytes = File.ReadAllBytes(path);
        var torn = bytes.AsSpan(header, record).ToArray();
        torn[40] ^= 0xFF;
        File.WriteAllBytes(path, [.. bytes, .. torn, .. bytes.AsSpan(header, record / 2)]);

        var inner = new RecordingGenerator();
        using (var cache = new DiskCachingEmbeddingGenerator(inner, _directory.Path))
        {
            AssertVectors(["a", "b", "c", "d"], await cache.GenerateAsync(["a", "b", "c", "d"]));
            Assert.Equal([["d"]], inner.Calls);
        }

        Assert.Equal(header + 4 * record, new FileInfo(path).Length);
        var again = new RecordingGenerator();
        using var reopened = new DiskCachingEmbeddingGenerator(again, _directory.Path);
        AssertVectors(["d", "c"], await reopened.GenerateAsync(["d", "c"]));
        Assert.Empty(again.Calls);
    }

    [Fact]
    public async Task A_damaged_record_is_recomputed_rather_than_served()
    {
        var (header, _) = await Layout();
        var inner = new RecordingGenerator();
        using var cache = new DiskCachingEmbeddingGenerator(inner, _directory.Path);
        await cache.GenerateAsync(["x", "y"]);

        // One bit of x's vector flips on disk while the cache is open (x is indexed), then again before a reopen.
        FlipBit(cache.FilePath, header + 40);
        AssertVectors(["x", "y"], await cache.GenerateAsync(["x", "y"]));
        AssertVectors(["x"], await cache.GenerateAsync(["x"]));
        Assert.Equal([["x", "y"], ["x"]], inner.Calls);
        Assert.Equal(1, cache.DamagedRecords);

        FlipBit(cache.FilePath, header + 40 + 1);
        var again = new RecordingGenerator();
        using var reopened = new DiskCachingEmbeddingGenerator(again, _directory.Path);
        AssertVectors(["x", "y"], await reopened.GenerateAsync(["x", "y"]));
        Assert.Empty(again.Calls);
        Assert.Equal(1, reopened.DamagedRecords);
    }

    private static void FlipBit(string path, int offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        file.Position = offset;
        var value = (byte)file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x01));
    }

    [Fact]
    public async Task Concurrent_callers_on_two_instances_agree_and_store_each_text_once()
    {
        var texts = Enumerable.Range(0, 200).Select(i => $"prompt number {i}").ToArray();
        using var first = new DiskCachingEmbeddingGenerator(new RecordingGenerator(), _directory.Path);
        using var second = new DiskCachingEmbeddingGenerator(new RecordingGenerator(), _directory.Path);
        var calls = Enumerable.Range(0, 16).Select(task => Task.Run(async () =>
        {
            var subset = texts.Where((_, i) => (i * 7 + task) % 3 != 0).Reverse().ToArray();
            var cache = task % 2 == 0 ? first : second;
            AssertVectors(subset, await cache.GenerateAsync(subset));
        }));
        await Task.WhenAll(calls);

        var inner = new RecordingGenerator();
        using var reopened = new DiskCachingEmbeddingGenerator(inner, _directory.Path);
        AssertVectors(texts, await reopened.GenerateAsync(texts));
        Assert.Empty(inner.Calls);
        var (header, record) = await Layout();
        Assert.Equal(header + texts.Length * record, new FileInfo(reopened.FilePath).Length);
    }

    [Fact]
    public async Task Each_embedder_has_its_own_file_and_a_foreign_file_is_refused()
    {
        using var small = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(dimension: 16), _directory.Path);
        string largePath;
        using (var large = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(dimension: 24), _directory.Path))
        {
            largePath = large.FilePath;
        }

        Assert.NotEqual(small.FilePath, largePath);
        await small.GenerateAsync(["a"]);
        File.Copy(small.FilePath, largePath, overwrite: true);
        var e = Assert.Throws<InvalidDataException>(() => new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(dimension: 24), _directory.Path));
        Assert.Contains(largePath, e.Message);
    }

    [Fact]
    public async Task Options_naming_another_model_bypass_the_cache()
    {
        var inner = new RecordingGenerator();
        using var cache = new DiskCachingEmbeddingGenerator(inner, _directory.Path);
        await cache.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "another-model" });
        await cache.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "another-model" });
        Assert.Equal([["a"], ["a"]], inner.Calls);
        Assert.Equal((0, 0), (cache.Hits, cache.Misses));
    }

    // The file layout, measured rather than assumed: a fresh cache grows by one record per text past its header.
    private async Task<(int Header, int Record)> Layout()
    {
        using var cache = new DiskCachingEmbeddingGenerator(new RecordingGenerator(), Path.Combine(_directory.Path, "layout"));
        await cache.GenerateAsync(["layout-1"]);
        var one = new FileInfo(cache.FilePath).Length;
        await cache.GenerateAsync(["layout-2"]);
        var record = new FileInfo(cache.FilePath).Length - one;
        return ((int)(one - record), (int)record);
    }

    private void AssertVectors(string[] texts, GeneratedEmbeddings<Embedding<float>> embeddings)
    {
        Assert.Equal(texts.Length, embeddings.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(_reference.Embed(texts[i]), embeddings[i].Vector.ToArray());
        }
    }

    /// <summary>The hashing embedder, recording the texts of each call.</summary>
    private sealed class RecordingGenerator() : DelegatingEmbeddingGenerator<string, Embedding<float>>(new HashingEmbeddingGenerator(dimension: 16))
    {
        private readonly ConcurrentQueue<string[]> _calls = new();

        public string[][] Calls => [.. _calls];

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToArray();
            _calls.Enqueue(texts);
            return base.GenerateAsync(texts, options, cancellationToken);
        }
    }
}
