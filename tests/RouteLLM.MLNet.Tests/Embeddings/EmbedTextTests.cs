using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Embeddings;

public sealed class EmbedTextTests
{
    private readonly MLContext _ml = new(seed: 1);
    private static readonly HashingEmbeddingGenerator Reference = new(dimension: 16);

    [Fact]
    public void Adds_a_fixed_size_vector_column_holding_each_rows_embedding()
    {
        var rows = new[] { new Row("What is 2+2?", 1), new Row("Write a poem", 2), new Row("What is 2+2?", 3) };
        var transformer = _ml.Routing().Transforms.EmbedText(new CountingGenerator()).Fit(_ml.Data.LoadFromEnumerable(rows));
        var output = transformer.Transform(_ml.Data.LoadFromEnumerable(rows));

        var column = output.Schema["Embedding"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 16), column.Type);
        var vectors = output.GetColumn<float[]>("Embedding").ToArray();
        Assert.Equal(rows.Select(r => Reference.Embed(r.Prompt)), vectors);
        Assert.Equal([1, 2, 3], output.GetColumn<int>(nameof(Row.Id)));
        Assert.Equal("test-hashing-16", transformer.Embedder.Id);
    }

    [Fact]
    public void Distinct_texts_are_embedded_in_batched_calls_never_per_row()
    {
        var rows = Enumerable.Range(0, 3000).Select(i => new Row($"prompt {i % 1500}", i)).ToArray();
        var generator = new CountingGenerator();
        var data = _ml.Data.LoadFromEnumerable(rows);
        var output = _ml.Routing().Transforms.EmbedText(generator).Fit(data).Transform(data);
        var vectors = output.GetColumn<float[]>("Embedding").ToArray();

        // 1,500 distinct prompts in calls of at most EmbedTextTransformer.TextsPerCall (1,024): two calls.
        Assert.Equal([EmbedTextTransformer.TextsPerCall, 1500 - EmbedTextTransformer.TextsPerCall], generator.CallSizes.Order().Reverse());
        Assert.Equal(Reference.Embed("prompt 1499"), vectors[2999]);
    }

    [Fact]
    public void A_prediction_engine_embeds_each_row_it_is_given()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new Row("a", 0) });
        var transformer = _ml.Routing().Transforms.EmbedText(new CountingGenerator(), outputColumnName: "Vector", inputColumnName: "Prompt").Fit(data);
        using var engine = _ml.Model.CreatePredictionEngine<Row, VectorRow>(transformer);
        Assert.Equal(Reference.Embed("unseen prompt"), engine.Predict(new Row("unseen prompt", 7)).Vector);
    }

    [Fact]
    public void Fit_checks_the_text_column_and_the_schema_names_the_vector_column()
    {
        var estimator = _ml.Routing().Transforms.EmbedText(new CountingGenerator(), inputColumnName: "Question");
        var data = _ml.Data.LoadFromEnumerable(new[] { new Row("a", 0) });
        var missing = Assert.Throws<ArgumentException>(() => estimator.Fit(data));
        Assert.Contains("'Question'", missing.Message);

        var wrongType = _ml.Routing().Transforms.EmbedText(new CountingGenerator(), inputColumnName: nameof(Row.Id));
        Assert.Contains("not text", Assert.Throws<ArgumentException>(() => wrongType.Fit(data)).Message);

        var schema = _ml.Routing().Transforms.EmbedText(new CountingGenerator()).Fit(data).GetOutputSchema(data.Schema);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 16), schema["Embedding"].Type);
    }

    public sealed record Row(string Prompt, int Id);

    public sealed class VectorRow
    {
        public float[] Vector { get; set; } = [];
    }

    private sealed class CountingGenerator() : DelegatingEmbeddingGenerator<string, Embedding<float>>(new HashingEmbeddingGenerator(dimension: 16))
    {
        private readonly ConcurrentQueue<int> _sizes = new();

        public int[] CallSizes => [.. _sizes];

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToArray();
            _sizes.Enqueue(texts.Length);
            return base.GenerateAsync(texts, options, cancellationToken);
        }
    }
}
