using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.ModelSelection;

public sealed class PromptEmbeddingTableTests
{
    [Fact]
    public async Task Embeds_each_distinct_prompt_once_in_batches()
    {
        var embedder = new HashingEmbeddingGenerator(dimension: 8);
        string[] prompts = ["a b", "c", "a b", "d e f", "g"];

        var table = await PromptEmbeddingTable.CreateAsync(embedder, prompts, batchSize: 2);

        Assert.Equal(4, table.Count);
        Assert.Equal(2, embedder.Calls);
        Assert.Equal(new EmbedderInfo("test-hashing-8", 8), table.Embedder);
        Assert.Equal(embedder.Embed("d e f"), table["d e f"].ToArray());
        Assert.Contains("not in the embedding table", Assert.Throws<KeyNotFoundException>(() => table["zzz"].ToArray()).Message);
    }

    [Fact]
    public void Loads_battles_with_their_embeddings_as_a_vector_column()
    {
        var embedder = new EmbedderInfo("e", 3);
        var table = new PromptEmbeddingTable(embedder, new Dictionary<string, float[]> { ["p"] = [1, 2, 3], ["q"] = [4, 5, 6] });
        Battle[] battles = [new("q", "x", "y", BattleOutcome.ModelBWins, 2f), new("p", "y", "x", BattleOutcome.Tie)];

        var view = table.LoadBattles(new MLContext(seed: 1), battles);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), view.Schema["Embedding"].Type);
        Assert.Equal([[4f, 5, 6], [1f, 2, 3]], view.GetColumn<float[]>("Embedding").ToArray());
        Assert.Equal([0f, 0.5f], view.GetColumn<float>("Label").ToArray());
        Assert.Equal([2f, 1f], view.GetColumn<float>("Weight").ToArray());
    }

    [Fact]
    public void Embedding_of_the_wrong_length_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new PromptEmbeddingTable(new EmbedderInfo("e", 3), new Dictionary<string, float[]> { ["p"] = [1, 2] }));
        Assert.Contains("2 values, not 3", error.Message);
    }
}
