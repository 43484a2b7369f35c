using System.Globalization;
using System.Text;
using System.Text.Json;
using RouteLLM.Testing;

namespace RouteLLM.Cli.Tests;

/// <summary>
/// <c>train --catalogue</c>: battles and scores files that spell models differently meet under the catalogue's names
/// (real all-MiniLM-L6-v2 embeddings), the zip records the catalogue models it knows, and <c>train mf|sw --extend</c>
/// keeps the extended router's pair exactly.
/// </summary>
public sealed class TrainCatalogueTests : IDisposable
{
    private static readonly string[] Topics = ["integrals", "prime numbers", "poetry", "gardening", "chess openings", "tax law", "volcanoes", "baking bread"];
    private readonly TemporaryDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Models_spelled_differently_in_battles_and_scores_meet_under_catalogue_names_and_the_zip_records_them()
    {
        var (battles, scores, catalogue) = WriteFiles();
        var zip = _temp.File("sw.zip");

        var train = await Routellm.RunAsync(
            "train", "sw", "--battles", battles, "--scores", scores, "--catalogue", catalogue, "--tiers", "2", "--output", zip);

        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        Assert.Contains("1 catalogue models are in no training file, so the router does not know them: never-seen", train.Stdout, StringComparison.Ordinal);
        using var manifest = ReadManifest(zip);
        var models = manifest.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.Equal(["claude-2", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", "tiny-7b"], models);
        var options = manifest.RootElement.GetProperty("trainingOptions");
        Assert.Equal("catalogue.csv", options.GetProperty("catalogue").GetString());
        Assert.Equal("gpt-4-1106-preview, claude-2, mixtral-8x7b-instruct-v0.1", options.GetProperty("catalogue.known_models").GetString());
        Assert.Equal("never-seen", options.GetProperty("catalogue.unseen_models").GetString());
    }

    [Fact]
    public async Task A_bad_catalogue_stops_training_naming_file_line_and_field()
    {
        var (battles, scores, catalogue) = WriteFiles();
        File.AppendAllText(catalogue, "claude-instant-1.2,claude-v2,0.8,2.4,1112\n");

        var duplicate = await Routellm.RunAsync("train", "sw", "--battles", battles, "--scores", scores, "--catalogue", catalogue, "--tiers", "2", "--output", _temp.File("a.zip"));

        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("catalogue.csv:6 [aliases]", duplicate.Stderr, StringComparison.Ordinal);
        Assert.Contains("'claude-v2' already names model 'claude-2'", duplicate.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("a.zip")));

        File.WriteAllText(catalogue, "model,aliases,input_usd_per_mtok,output_usd_per_mtok,avg_output_chars\ngpt-4-1106-preview,,10,,2049\n");
        var unpriced = await Routellm.RunAsync("train", "sw", "--battles", battles, "--catalogue", catalogue, "--tiers", "2", "--output", _temp.File("b.zip"));

        Assert.NotEqual(0, unpriced.ExitCode);
        Assert.Contains("catalogue.csv:2 [output_usd_per_mtok]", unpriced.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mf", "--max-epochs", "20")]
    [InlineData("sw", "--tiers", "2")]
    public async Task A_router_extended_with_more_models_scores_its_pair_exactly_as_the_router_it_extends(string kind, string option, string value)
    {
        var (battles, scores, catalogue) = WriteFiles();
        var pair = _temp.File("pair.zip");
        var extended = _temp.File("extended.zip");
        var first = await Routellm.RunAsync("train", kind, "--battles", battles, option, value, "--output", pair);
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);

        var second = await Routellm.RunAsync(
            "train", kind, "--extend", pair, "--battles", battles, "--scores", scores, "--catalogue", catalogue, option, value, "--output", extended);

        Assert.True(second.ExitCode == 0, second.Stderr + second.Stdout);
        using (var manifest = ReadManifest(extended))
        {
            var models = manifest.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetString()!).ToArray();
            Assert.Equal(["claude-2", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", "tiny-7b"], models);
        }

        foreach (var prompt in new[] { "Explain integrals to a student.", "Write a poem about volcanoes." })
        {
            var before = await Routellm.RunAsync("route", "--router", pair, prompt);
            var after = await Routellm.RunAsync("route", "--router", extended, prompt);
            Assert.True(before.ExitCode == 0 && after.ExitCode == 0, before.Stderr + after.Stderr);
            Assert.Contains("strong_win_rate=", before.Stdout, StringComparison.Ordinal);
            Assert.Equal(before.Stdout, after.Stdout);
        }
    }

    [Fact]
    public async Task Extending_a_router_of_another_kind_is_refused_and_writes_nothing()
    {
        var (battles, _, _) = WriteFiles();
        var pair = _temp.File("mf.zip");
        var first = await Routellm.RunAsync("train", "mf", "--battles", battles, "--max-epochs", "5", "--output", pair);
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);

        var second = await Routellm.RunAsync("train", "sw", "--extend", pair, "--battles", battles, "--output", _temp.File("sw.zip"));

        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains($"--extend {pair}: not an sw router", second.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("sw.zip")));
    }

    private (string Battles, string Scores, string Catalogue) WriteFiles()
    {
        var battles = new StringBuilder("model_a,model_b,prompt,winner_model_a,winner_model_b,winner_tie\n");
        foreach (var (topic, i) in Topics.Select((t, i) => (t, i)))
        {
            var prompt = $"\"[\"\"Please explain {topic} to a curious student, step by step.\"\"]\"";
            battles.Append(CultureInfo.InvariantCulture, $"gpt-4-1106-preview,mixtral-8x7b-instruct-v0.1,{prompt},{(i % 2 == 0 ? "1,0" : "0,1")},0\n");
            battles.Append(CultureInfo.InvariantCulture, $"claude-2,mixtral-8x7b-instruct-v0.1,{prompt},1,0,0\n");
        }

        // RouterBench's spellings: claude-v2 and mistralai/mixtral-8x7b-chat are the battles' claude-2 and mixtral.
        var scores = new StringBuilder("prompt,gpt-4-1106-preview,claude-v2,mistralai/mixtral-8x7b-chat,tiny-7b\n");
        foreach (var (topic, i) in Topics.Select((t, i) => (t, i)))
        {
            scores.Append(CultureInfo.InvariantCulture, $"A quiz question on {topic}: which answer is right?,1,{i % 2},{(i % 3 == 0 ? 1 : 0)},0\n");
        }

        var catalogue = "model,aliases,input_usd_per_mtok,output_usd_per_mtok,avg_output_chars\n" +
            "gpt-4-1106-preview,,10,30,2049\n" +
            "claude-2,claude-v2,8,24,1069\n" +
            "mixtral-8x7b-instruct-v0.1,mistralai/mixtral-8x7b-chat,0.6,0.6,1465\n" +
            "never-seen,,1,1,1000\n";
        return (Write("battles.csv", battles.ToString()), Write("scores.csv", scores.ToString()), Write("catalogue.csv", catalogue));
    }

    private string Write(string name, string text)
    {
        var path = _temp.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static JsonDocument ReadManifest(string zip)
    {
        using var archive = System.IO.Compression.ZipFile.OpenRead(zip);
        using var stream = archive.GetEntry("manifest.json")!.Open();
        return JsonDocument.Parse(stream);
    }
}
