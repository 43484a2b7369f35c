using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Embeddings;

[Collection(MiniLmTestGroup.Name)]
public sealed class MiniLmModelCacheTests(MiniLmFixture fixture)
{
    [Fact]
    public async Task Nothing_is_loaded_until_the_first_text_and_then_the_optimized_model_is_kept()
    {
        using var directory = new TemporaryDirectory();
        var models = Path.Combine(directory.Path, "models");
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { CacheDirectory = directory.Path });

        Assert.Equal(fixture.Quantized.ModelId, generator.ModelId);
        await generator.GenerateAsync([]);
        Assert.Equal(["fp32.sha256"], Directory.GetFiles(models).Select(Kind));

        var vector = (await generator.GenerateAsync([MiniLmFixture.Prompts[0]]))[0].Vector.ToArray();

        Assert.Equal(["fp32.sha256", "int8.onnx", "int8.onnx.sha256", "int8.ort-*.ort", "int8.ort-*.ort.sha256"], Directory.GetFiles(models).Select(Kind).Order());
        Assert.Equal((await fixture.Quantized.GenerateAsync([MiniLmFixture.Prompts[0]]))[0].Vector.ToArray(), vector);
    }

    [Fact]
    public async Task Derived_models_are_stored_once_and_rebuilt_when_damaged()
    {
        using var directory = new TemporaryDirectory();
        var options = new MiniLmEmbeddingGeneratorOptions { CacheDirectory = directory.Path };
        var prompt = MiniLmFixture.Prompts[1];
        await EmbedOnce(options, prompt);
        var files = Directory.GetFiles(Path.Combine(directory.Path, "models")).Where(f => Path.GetExtension(f) is ".onnx" or ".ort").Order().ToArray();
        Assert.Equal([".onnx", ".ort"], files.Select(Path.GetExtension));
        var built = files.Select(File.ReadAllBytes).ToArray();
        var written = files.Select(File.GetLastWriteTimeUtc).ToArray();

        await EmbedOnce(options, prompt);
        Assert.Equal(written, files.Select(File.GetLastWriteTimeUtc));

        foreach (var (file, bytes) in files.Zip(built))
        {
            File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        }

        var rebuilt = await EmbedOnce(options, prompt);
        // The quantizer's output is a function of its input; ONNX Runtime's saved form is not byte for byte, but whole.
        Assert.Equal(built[0], File.ReadAllBytes(files[0]));
        Assert.NotNull(MiniLmModelCache.TryRead(files[1], pinned: false));
        Assert.Equal((await fixture.Quantized.GenerateAsync([prompt]))[0].Vector.ToArray(), rebuilt);
    }

    [Theory]
    [InlineData(MiniLmPrecision.Float32)]
    [InlineData(MiniLmPrecision.Int8)]
    public async Task The_kept_model_gives_the_vectors_of_a_fully_optimized_session_of_the_original(MiniLmPrecision precision)
    {
        var fp32 = MiniLmResources.ReadModel();
        var model = precision == MiniLmPrecision.Int8
            ? QuantizedModelStore.GetOrCreateInt8(fp32, MiniLmResources.Digest(fp32), fixture.CacheDirectory)
            : fp32;
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var reference = new InferenceSession(model, options);
        using var vocabulary = MiniLmResources.OpenVocabulary();
        var tokenizer = new MiniLmTokenizer(vocabulary, MiniLmEmbeddingGeneratorOptions.DefaultMaxTokens);

        var vectors = await fixture.Get(precision).GenerateAsync(MiniLmFixture.Prompts);

        for (var i = 0; i < MiniLmFixture.Prompts.Length; i++)
        {
            Assert.Equal(MeanPooled(reference, tokenizer.Encode(MiniLmFixture.Prompts[i])), vectors[i].Vector.ToArray());
        }
    }

    [Fact]
    public async Task A_recorded_digest_that_is_not_the_bundled_models_is_refused_on_first_use()
    {
        using var directory = new TemporaryDirectory();
        using (new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { CacheDirectory = directory.Path }))
        {
        }

        var recorded = Assert.Single(Directory.GetFiles(Path.Combine(directory.Path, "models"), "*.fp32.sha256"));
        File.WriteAllText(recorded, new string('0', 64));
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { CacheDirectory = directory.Path });

        Assert.Contains(";onnx=000000000000;", generator.ModelId);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => generator.GenerateAsync(["x"]));
        Assert.Contains(Path.GetDirectoryName(recorded)!, e.Message);
    }

    private static async Task<float[]> EmbedOnce(MiniLmEmbeddingGeneratorOptions options, string prompt)
    {
        using var generator = new MiniLmEmbeddingGenerator(options);
        return (await generator.GenerateAsync([prompt]))[0].Vector.ToArray();
    }

    // sentence-transformers' mean pooling and normalisation, summed token by token as MiniLmSession sums them.
    private static float[] MeanPooled(InferenceSession session, long[] ids)
    {
        long[] shape = [1, ids.Length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var vector = new float[MiniLmEmbeddingGenerator.Dimension];
        for (var token = 0; token < ids.Length; token++)
        {
            TensorPrimitives.Add(vector, hidden.Slice(token * vector.Length, vector.Length), vector);
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    // A cache file's name without the model and digest, with ONNX Runtime's version as *: "int8.onnx", "int8.ort-*.ort", ...
    private static string Kind(string path) =>
        Regex.Replace(Regex.Replace(Path.GetFileName(path), @"^all-MiniLM-L6-v2\.[0-9a-f]+\.", ""), @"ort-[0-9.]+\.ort", "ort-*.ort");
}
