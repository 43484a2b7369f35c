using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.Benchmarks;

/// <summary>
/// <c>batching [count]</c>: why <see cref="MiniLmEmbeddingGenerator"/> runs one text per thread instead of padded
/// batches. On <c>count</c> (default 512) MMLU prompts, sorted by token count, it measures tokens per CPU-second
/// (times the processor count) of one text per run against padded length-sorted batches, for fp32 and int8, and how
/// far batching moves int8 vectors (the activation scale is per input tensor, so a batch couples its texts).
/// </summary>
internal static class BatchingComparison
{
    private const int Dimension = MiniLmEmbeddingGenerator.Dimension;

    public static void Run(string[] args)
    {
        var count = args is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 512;
        MiniLmTokenizer tokenizer;
        using (var vocabulary = MiniLmResources.OpenVocabulary())
        {
            tokenizer = new MiniLmTokenizer(vocabulary, MiniLmEmbeddingGeneratorOptions.DefaultMaxTokens);
        }

        var texts = MmluPrompts.Sample(count).Select(tokenizer.Encode).OrderBy(ids => ids.Length).ToArray();
        var tokens = texts.Sum(ids => ids.Length);
        var fp32 = MiniLmResources.ReadModel();
        var int8 = QuantizedModelStore.GetOrCreateInt8(fp32, MiniLmResources.Digest(fp32), RouteLLMCacheDirectory.Default);
        var cores = Environment.ProcessorCount;
        foreach (var (name, model) in new[] { ("fp32", fp32), ("int8", int8) })
        {
            using var single = Session(model, threads: 1);
            using var wide = Session(model, threads: cores);
            Report(name, "one text per run, runs on all cores at once", tokens, () =>
                Parallel.ForEach(texts, new ParallelOptions { MaxDegreeOfParallelism = cores }, ids => Embed(single, [ids])));
            foreach (var size in new[] { 8, 32 })
            {
                var batches = texts.Chunk(size).ToArray();
                Report(name, $"padded batches of {size}, one run at a time on {cores} threads", tokens, () =>
                    Array.ForEach(batches, batch => Embed(wide, batch)));
                Report(name, $"padded batches of {size}, runs on all cores at once", tokens, () =>
                    Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = cores }, batch => Embed(single, batch)));
            }

            var (largest, lowest) = BatchEffect(single, texts);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: a text in a padded batch of 8 vs alone: largest |difference| {largest:E2}, lowest cosine {lowest:F6}"));
        }
    }

    private static InferenceSession Session(byte[] model, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(model, options);
    }

    private static void Report(string model, string layout, int tokens, Action run)
    {
        run(); // warm-up
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        run();
        process.Refresh();
        var rate = tokens * Environment.ProcessorCount / (process.TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model} {layout,-52} {rate,8:N0} tokens/s per CPU-second x{Environment.ProcessorCount}"));
    }

    // The largest change batching makes to any vector, over batches of 8 neighbours by length.
    private static (float Largest, float Lowest) BatchEffect(InferenceSession session, long[][] texts)
    {
        var largest = 0f;
        var lowest = 1f;
        foreach (var batch in texts.Chunk(8).Take(16))
        {
            var together = Embed(session, batch);
            for (var i = 0; i < batch.Length; i++)
            {
                var alone = Embed(session, [batch[i]]);
                var inBatch = together.AsSpan(i * Dimension, Dimension);
                var difference = new float[Dimension];
                TensorPrimitives.Subtract(alone, inBatch, difference);
                largest = Math.Max(largest, TensorPrimitives.MaxMagnitude(difference));
                lowest = Math.Min(lowest, TensorPrimitives.CosineSimilarity(alone, inBatch));
            }
        }

        return (largest, lowest);
    }

    // Padded to the batch's longest text; mean over the attention mask, then L2-normalised, as sentence-transformers does.
    private static float[] Embed(InferenceSession session, long[][] batch)
    {
        var length = batch.Max(ids => ids.Length);
        var inputIds = new long[batch.Length * length];
        var mask = new long[batch.Length * length];
        for (var b = 0; b < batch.Length; b++)
        {
            batch[b].CopyTo(inputIds, b * length);
            mask.AsSpan(b * length, batch[b].Length).Fill(1);
        }

        long[] shape = [batch.Length, length];
        using var ids = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var attention = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[inputIds.Length], shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [ids, attention, types], ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var pooled = new float[batch.Length * Dimension];
        for (var b = 0; b < batch.Length; b++)
        {
            var vector = pooled.AsSpan(b * Dimension, Dimension);
            for (var t = 0; t < batch[b].Length; t++)
            {
                TensorPrimitives.Add(vector, hidden.Slice((b * length + t) * Dimension, Dimension), vector);
            }

            TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        }

        return pooled;
    }
}
