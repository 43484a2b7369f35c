using RouteLLM.MLNet.Embeddings;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Embeddings;

/// <summary>
/// One fp32 and one int8 all-MiniLM-L6-v2 generator for every test of the collection (loading and quantizing take
/// seconds), with the quantized model kept in a temporary cache directory.
/// </summary>
public sealed class MiniLmFixture : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public MiniLmFixture()
    {
        Fp32 = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { Precision = MiniLmPrecision.Float32, CacheDirectory = CacheDirectory });
        Quantized = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { Precision = MiniLmPrecision.Int8, CacheDirectory = CacheDirectory });
    }

    public string CacheDirectory => _directory.Path;

    public MiniLmEmbeddingGenerator Fp32 { get; }

    public MiniLmEmbeddingGenerator Quantized { get; }

    /// <summary>Fixtures/Embeddings/prompts.txt: 40 prompts of the kinds routers see (exam questions, code, chat, several languages).</summary>
    public static string[] Prompts { get; } = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Embeddings", "prompts.txt"));

    public MiniLmEmbeddingGenerator Get(MiniLmPrecision precision) => precision == MiniLmPrecision.Int8 ? Quantized : Fp32;

    public void Dispose()
    {
        Fp32.Dispose();
        Quantized.Dispose();
        _directory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class MiniLmTestGroup : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}
