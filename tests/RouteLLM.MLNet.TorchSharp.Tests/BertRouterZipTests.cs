using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.ML;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Scoring;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.TorchSharp.Tests;

/// <summary>BERT routers survive their zip bit for bit, and a zip whose weights are missing or damaged is refused by name.</summary>
public sealed class BertRouterZipTests(ITestOutputHelper output)
{
    private static readonly string[] Prompts =
        ["zebra apple river", "green table window", "What is the capital of France?", "a much longer prompt " + string.Concat(Enumerable.Repeat("word ", 80))];

    private static readonly Lazy<BertRouterModel> Tiny = new(() =>
    {
        var options = TinyBertRouter.Options();
        options.MaxEpochs = 2;
        return TinyBertRouter.Train(options, prompts: 40);
    });

    [Fact]
    public async Task A_tiny_router_scores_identically_after_a_round_trip_and_saves_the_same_bytes()
    {
        var loaded = RouterZipRoundTrip.AssertSameBytes(Tiny.Value);

        Assert.Equal(await Score(Tiny.Value), await Score(loaded));
    }

    [Fact]
    public async Task A_router_fine_tuned_from_MiniLM_stores_differences_and_scores_identically_after_a_round_trip()
    {
        var options = new BertRouterTrainer.Options { MaxTokens = 32, BatchSize = 4, MaxEpochs = 1, Seed = 2 };
        var model = TinyBertRouter.Train(options, prompts: 12);
        var zip = Save(model);
        output.WriteLine($"zip of a MiniLM router: {zip.Length / 1e6:F1} MB");

        var loaded = (BertRouterModel)RouterZip.Read(new MemoryStream(zip), "minilm.zip");
        Assert.True(loaded.IsFineTunedFromMiniLM);
        Assert.Equal(BertEncoderShape.MiniLM, loaded.Shape);
        Assert.Equal(await Score(model), await Score(loaded));
        Assert.InRange(zip.Length, 1, 60_000_000);
    }

    [Fact]
    public async Task Given_an_embedder_the_router_keeps_its_training_prompts_through_the_zip_and_still_reads_text()
    {
        using var embedder = new HashingEmbeddingGenerator();
        var battles = PlantedRule.Battles(prompts: 30, seed: 5);
        var table = await PromptEmbeddingTable.CreateAsync(embedder, battles.Select(b => b.Prompt));
        var options = TinyBertRouter.Options();
        options.MaxEpochs = 1;
        options.Embedder = table.Embedder;
        var ml = new MLContext(seed: 1);
        var model = ml.Routing().Trainers.Bert(options).Fit(table.LoadBattles(ml, battles)).Model;

        var loaded = RouterZip.Read(new MemoryStream(Save(model)), "kept.zip");

        Assert.Null(loaded.Manifest.Embedder);
        Assert.Equal(table.Embedder, loaded.Manifest.TrainingPromptsEmbedder);
        Assert.Equal(30, loaded.TrainingPrompts!.Count);
        Assert.Equal(model.TrainingPrompts!.Values.ToArray(), loaded.TrainingPrompts.Values.ToArray());
        Assert.Equal(table[battles[0].Prompt].ToArray(), loaded.TrainingPrompts[0].ToArray());
        Assert.Equal(await Score(model), await Score(loaded));
    }

    [Fact]
    public void A_zip_without_its_weights_entry_is_refused_naming_the_entry()
    {
        var damaged = Rewrite(Save(Tiny.Value), (name, bytes) => name == BertRouterModel.WeightsEntry ? null : bytes);

        var error = Assert.Throws<RouterFormatException>(() => RouterZip.Read(new MemoryStream(damaged), "no-weights.zip"));
        Assert.Contains("no-weights.zip", error.Message);
        Assert.Contains($"'{BertRouterModel.WeightsEntry}' is missing", error.Message);
    }

    [Fact]
    public void A_weights_entry_changed_after_saving_fails_its_digest()
    {
        var damaged = Rewrite(Save(Tiny.Value), (name, bytes) => name == BertRouterModel.WeightsEntry ? Flip(bytes, bytes.Length / 2) : bytes);

        var error = Assert.Throws<RouterFormatException>(() => RouterZip.Read(new MemoryStream(damaged), "flipped.zip"));
        Assert.Contains($"'{BertRouterModel.WeightsEntry}' does not match the digest", error.Message);
    }

    [Theory]
    [InlineData(true, "ends early")]
    [InlineData(false, "bad header")]
    public void A_truncated_or_foreign_weights_entry_with_a_matching_digest_is_refused_with_the_reason(bool truncate, string reason)
    {
        var foreign = "PK these are not BERT weights"u8.ToArray();
        var damaged = Rewrite(Save(Tiny.Value), (name, bytes) => name != BertRouterModel.WeightsEntry ? bytes : truncate ? bytes[..100] : foreign,
            fixDigests: true);

        var error = Assert.Throws<RouterFormatException>(() => RouterZip.Read(new MemoryStream(damaged), "damaged.zip"));
        Assert.Contains("damaged.zip", error.Message);
        Assert.Contains(BertRouterModel.WeightsEntry, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task Scoring_from_many_threads_at_once_gives_the_sequential_results()
    {
        var expected = await Score(Tiny.Value);
        var results = new float[16][];
        Parallel.For(0, results.Length, i => results[i] = Score(Tiny.Value).GetAwaiter().GetResult());

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    private static Task<float[]> Score(RouterModel model) => new RouterScorer(model).StrongWinRatesAsync(Prompts);

    private static byte[] Save(RouterModel model)
    {
        using var stream = new MemoryStream();
        RouterZip.Write(model, stream);
        return stream.ToArray();
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0xff;
        return copy;
    }

    // Copies a router zip entry by entry through `change` (null drops the entry); with fixDigests the manifest is made
    // to agree with the changed entries, so that only the BERT loader's own checks can catch them.
    private static byte[] Rewrite(byte[] zip, Func<string, byte[], byte[]?> change, bool fixDigests = false)
    {
        using var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = source.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        });
        var changed = entries.Where(e => e.Key != RouterZip.ManifestEntry)
            .Select(e => (e.Key, Bytes: change(e.Key, e.Value)))
            .Where(e => e.Bytes is not null)
            .ToDictionary(e => e.Key, e => e.Bytes!);
        var manifest = JsonNode.Parse(entries[RouterZip.ManifestEntry])!;
        if (fixDigests)
        {
            foreach (var (name, bytes) in changed)
            {
                manifest["entries"]![name] = Convert.ToHexStringLower(SHA256.HashData(bytes));
            }
        }

        changed[RouterZip.ManifestEntry] = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        using var output = new MemoryStream();
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in changed)
            {
                using var stream = target.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }
}
