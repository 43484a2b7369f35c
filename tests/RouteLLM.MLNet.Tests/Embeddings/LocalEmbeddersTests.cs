using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Embeddings;

[Collection(MiniLmTestGroup.Name)]
public sealed class LocalEmbeddersTests(MiniLmFixture fixture) : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    private string ZipPath => _directory.File("first-coordinate.zip");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(MiniLmPrecision.Float32)]
    [InlineData(MiniLmPrecision.Int8)]
    public async Task Creates_the_embedder_a_router_recorded(MiniLmPrecision precision)
    {
        var expected = fixture.Get(precision);
        using var created = LocalEmbedders.Create(EmbedderInfo.From(expected), fixture.CacheDirectory);
        Assert.Equal(EmbedderInfo.From(expected), EmbedderInfo.From(created));
        var prompt = MiniLmFixture.Prompts[3];
        Assert.Equal((await expected.GenerateAsync([prompt]))[0].Vector.ToArray(), (await created.GenerateAsync([prompt]))[0].Vector.ToArray());
    }

    [Fact]
    public void Unknown_embedders_and_other_weights_are_refused_with_the_reason()
    {
        var remote = new EmbedderInfo("text-embedding-3-small", 1536);
        Assert.False(LocalEmbedders.IsKnown(remote));
        Assert.Contains("text-embedding-3-small", Assert.Throws<ArgumentException>(() => LocalEmbedders.Create(remote)).Message);

        var known = EmbedderInfo.From(fixture.Fp32);
        Assert.False(LocalEmbedders.IsKnown(known with { Dimension = 768 }));

        var otherWeights = known with { Id = System.Text.RegularExpressions.Regex.Replace(known.Id, "onnx=[0-9a-f]+", "onnx=000000000000") };
        Assert.True(LocalEmbedders.IsKnown(otherWeights));
        var e = Assert.Throws<ArgumentException>(() => LocalEmbedders.Create(otherWeights, fixture.CacheDirectory));
        Assert.Contains("this build bundles", e.Message);
    }

    [Fact]
    public async Task Load_scores_with_the_local_embedder_the_manifest_names()
    {
        // With no embedder given, Load makes the one the manifest names, behind the persistent cache in the default
        // cache directory (where a quantized model and the embeddings of these prompts are then kept).
        RouterZip.Save(FirstCoordinateRouter.For(EmbedderInfo.From(fixture.Quantized)), ZipPath);
        string[] prompts = [MiniLmFixture.Prompts[0], MiniLmFixture.Prompts[1]];
        var embeddings = await fixture.Quantized.GenerateAsync(prompts);

        using var scorer = RouterScorer.Load(ZipPath);
        Assert.IsType<DiskCachingEmbeddingGenerator>(scorer.Embedder);
        Assert.Equal(embeddings.Select(e => (e.Vector.Span[0] + 1) / 2), await scorer.StrongWinRatesAsync(prompts));
    }

    [Fact]
    public async Task Load_uses_a_given_embedder_and_leaves_it_to_the_caller()
    {
        var hashing = new HashingEmbeddingGenerator(dimension: 8);
        var given = new DisposalRecordingGenerator(hashing);
        RouterZip.Save(FirstCoordinateRouter.For(EmbedderInfo.From(given)), ZipPath);
        using (var scorer = RouterScorer.Load(ZipPath, given))
        {
            Assert.Equal((hashing.Embed("hi")[0] + 1) / 2, await scorer.StrongWinRateAsync("hi"));
        }

        Assert.False(given.Disposed);
        var e = Assert.Throws<ArgumentException>(() => RouterScorer.Load(ZipPath));
        Assert.Contains(ZipPath, e.Message);
        Assert.Contains("not a local embedder", e.Message);
    }

    [Fact]
    public void Load_refuses_an_embedder_other_than_the_recorded_one()
    {
        RouterZip.Save(FirstCoordinateRouter.For(EmbedderInfo.From(fixture.Quantized)), ZipPath);
        var e = Assert.Throws<ArgumentException>(() => RouterScorer.Load(ZipPath, fixture.Fp32));
        Assert.Contains("precision=fp32", e.Message);
    }

    private sealed class DisposalRecordingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner)
        : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
