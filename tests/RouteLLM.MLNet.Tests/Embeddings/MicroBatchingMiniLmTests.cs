using System.Numerics.Tensors;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Tests.Embeddings;

/// <summary>Micro-batches run by ONNX Runtime: padded batches of the real model, called from many threads at once.</summary>
[Collection(MiniLmTestGroup.Name)]
public sealed class MicroBatchingMiniLmTests(MiniLmFixture fixture)
{
    [Fact]
    public async Task With_fp32_weights_every_caller_gets_the_vector_of_its_text_alone_bit_for_bit()
    {
        var alone = await Alone(fixture.Fp32);
        using var batching = new MicroBatchingEmbeddingGenerator(fixture.Fp32, new MicroBatchingOptions { MaxBatchSize = 8 }, leaveOpen: true);

        var batched = await Concurrently(batching);

        Assert.True(batching.Batches < MiniLmFixture.Prompts.Length, $"{batching.Batches} batches: no two texts ran together.");
        foreach (var (prompt, vector) in batched)
        {
            Assert.Equal(alone[prompt], vector);
        }
    }

    [Fact]
    public async Task With_int8_weights_every_caller_gets_a_vector_nearest_to_its_own_text_alone()
    {
        var alone = await Alone(fixture.Quantized);
        using var batching = new MicroBatchingEmbeddingGenerator(fixture.Quantized, new MicroBatchingOptions { MaxBatchSize = 8 }, leaveOpen: true);

        var batched = await Concurrently(batching);

        Assert.True(batching.Batches < MiniLmFixture.Prompts.Length, $"{batching.Batches} batches: no two texts ran together.");
        foreach (var (prompt, vector) in batched)
        {
            var nearest = alone.MaxBy(other => TensorPrimitives.CosineSimilarity(other.Value, vector)).Key;
            Assert.Equal(prompt, nearest);
            Assert.True(TensorPrimitives.CosineSimilarity(alone[prompt], vector) > 0.95f, prompt);
        }
    }

    [Fact]
    public async Task Disposing_with_leave_open_keeps_the_MiniLM_generator_usable()
    {
        var batching = new MicroBatchingEmbeddingGenerator(fixture.Fp32, leaveOpen: true);
        var first = await batching.GenerateAsync([MiniLmFixture.Prompts[0]]);
        batching.Dispose();

        var after = await fixture.Fp32.GenerateAsync([MiniLmFixture.Prompts[0]]);
        Assert.Equal(first[0].Vector.ToArray(), after[0].Vector.ToArray());
    }

    private static async Task<Dictionary<string, float[]>> Alone(MiniLmEmbeddingGenerator generator)
    {
        var alone = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var prompt in MiniLmFixture.Prompts.Distinct())
        {
            alone[prompt] = (await generator.GenerateAsync([prompt]))[0].Vector.ToArray();
        }

        return alone;
    }

    /// <summary>Every fixture prompt from its own task, all started together, twice over so that batches form.</summary>
    private static async Task<(string Prompt, float[] Vector)[]> Concurrently(MicroBatchingEmbeddingGenerator batching)
    {
        using var start = new ManualResetEventSlim();
        var calls = MiniLmFixture.Prompts.Concat(MiniLmFixture.Prompts).Distinct().Concat(MiniLmFixture.Prompts).Select(prompt => Task.Run(async () =>
        {
            start.Wait();
            return (prompt, (await batching.GenerateAsync([prompt]))[0].Vector.ToArray());
        })).ToArray();
        start.Set();
        return await Task.WhenAll(calls);
    }
}
