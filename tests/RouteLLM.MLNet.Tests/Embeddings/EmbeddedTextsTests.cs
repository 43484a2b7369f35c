using RouteLLM.MLNet.Embeddings;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Embeddings;

public sealed class EmbeddedTextsTests
{
    [Fact]
    public async Task A_batch_is_laid_out_row_major_in_one_call()
    {
        var generator = new HashingEmbeddingGenerator(dimension: 4);

        var embedded = await EmbeddedTexts.EmbedAsync(generator, ["red apple", "green pear", "red apple"], dimension: 4);

        Assert.Equal(1, generator.Calls);
        Assert.Equal(12, embedded.Values.Length);
        Assert.Equal(generator.Embed("green pear"), embedded[1].ToArray());
        Assert.Equal(embedded[0].ToArray(), embedded[2].ToArray());
    }

    [Fact]
    public async Task A_vector_of_another_dimension_is_refused_and_an_empty_batch_makes_no_call()
    {
        var generator = new HashingEmbeddingGenerator(dimension: 4);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EmbeddedTexts.EmbedAsync(generator, ["a"], dimension: 8));
        Assert.Contains("a vector of 4 values, not 8", error.Message);
        Assert.Empty((await EmbeddedTexts.EmbedAsync(generator, [], dimension: 4)).Values);
        Assert.Equal(1, generator.Calls);
    }
}
