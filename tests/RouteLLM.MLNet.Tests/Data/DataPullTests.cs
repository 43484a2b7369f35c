using System.Net.Http;
using System.Text;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Tests.Data;

public sealed class DataPullTests : TempFolderTest
{
    private string Served => Path.Combine(Folder.Path, "served");

    private string Destination => Path.Combine(Folder.Path, "data");

    /// <summary>
    /// A small copy of RouteLLM's repository as raw.githubusercontent.com serves it: the fixture tree's files at their
    /// remote paths, and for the MMLU subjects and router answers the fixtures lack, a tiny file of their own.
    /// </summary>
    private void BuildServedRepository()
    {
        foreach (var file in DataPull.RouteLLMFiles)
        {
            var fixture = Path.Combine(DataFixtures.Tree, file.LocalPath);
            var served = Path.Combine(Served, file.RemotePath);
            Directory.CreateDirectory(Path.GetDirectoryName(served)!);
            if (File.Exists(fixture))
            {
                File.Copy(fixture, served);
            }
            else
            {
                var name = Path.GetFileNameWithoutExtension(served);
                File.WriteAllText(served, served.EndsWith(".csv", StringComparison.Ordinal)
                    ? $"prompt,mistralai/Mixtral-8x7B-Instruct-v0.1,gpt-4-1106-preview\n\"A question on {name}?\nAnswer:\",True,False\n"
                    : $"{{\"question_id\": 81, \"model\": \"{name}\"}}\n");
            }
        }
    }

    private string[] TempFiles() => Directory.Exists(Destination) ? Directory.GetFiles(Destination, "*.tmp", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task Download_fetches_every_routellm_file_from_a_real_local_server_byte_for_byte()
    {
        BuildServedRepository();
        await using var server = LocalHttpServer.ServeFolder(Served);
        var lines = new List<string>();

        var result = await DataPull.DownloadAsync(Destination, server.BaseUri, progress: new ListProgress(lines));

        Assert.Equal(66, DataPull.RouteLLMFiles.Count);
        Assert.Equal(DataPull.RouteLLMFiles.Select(f => f.LocalPath), result.Written);
        Assert.Equal(DataPull.RouteLLMFiles.Select(f => f.RemotePath), server.Requests);
        Assert.All(DataPull.RouteLLMFiles, f =>
            Assert.Equal(File.ReadAllBytes(Path.Combine(Served, f.RemotePath)), File.ReadAllBytes(Path.Combine(Destination, f.LocalPath))));
        Assert.Equal(DataPull.RouteLLMFiles.Sum(f => new FileInfo(Path.Combine(Served, f.RemotePath)).Length), result.BytesWritten);
        Assert.Equal(66, lines.Count);
        Assert.StartsWith("downloaded routellm/mmlu/responses/mmlu_high_school_european_history.csv (", lines[0]);

        Assert.Equal(5 + 55, BenchmarkLoader.LoadMmlu(Destination).Prompts.Count);
        Assert.Equal(3, BenchmarkLoader.LoadMtBench(Destination).Prompts.Count);
        Assert.Equal(3, BenchmarkLoader.LoadGsm8k(Destination).Prompts.Count);

        var again = await DataPull.DownloadAsync(Destination, server.BaseUri);
        Assert.Empty(again.Written);
        Assert.Equal(66, again.Unchanged.Count);
        Assert.Equal(66, server.Requests.Count);
    }

    [Fact]
    public async Task A_missing_remote_file_stops_the_pull_with_its_url_and_status_and_leaves_no_partial_file()
    {
        BuildServedRepository();
        File.Delete(Path.Combine(Served, "routellm/evals/mt_bench/judgements.jsonl"));
        await using var server = LocalHttpServer.ServeFolder(Served);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => DataPull.DownloadAsync(Destination, server.BaseUri));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains($"{server.BaseUri}routellm/evals/mt_bench/judgements.jsonl answered 404", error.Message);
        Assert.True(File.Exists(Path.Combine(Destination, "routellm/mt_bench/question.jsonl")));
        Assert.False(File.Exists(Path.Combine(Destination, "routellm/mt_bench/judgements.jsonl")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task A_body_cut_short_is_an_error_and_no_half_written_file_is_left()
    {
        BuildServedRepository();
        await using var server = LocalHttpServer.ServeFolder(Served, path =>
            path.EndsWith("gsm8k_responses.csv", StringComparison.Ordinal) ? new Reply(200, new byte[4096], Truncate: true) : null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => DataPull.DownloadAsync(Destination, server.BaseUri));

        Assert.Contains("Could not download", error.Message);
        Assert.Contains("gsm8k_responses.csv", error.Message);
        Assert.False(File.Exists(Path.Combine(Destination, "routellm/gsm8k/gsm8k_responses.csv")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_a_clear_error()
    {
        await using var server = new LocalHttpServer(_ => new Reply(200, [], Hang: true));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => DataPull.DownloadAsync(Destination, server.BaseUri, TimeSpan.FromSeconds(0.5)));

        Assert.Contains("timed out after 0.5 s", error.Message);
        Assert.Contains("--from DIR", error.Message);
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task An_unreachable_server_says_the_machine_may_be_offline_and_how_to_copy_instead()
    {
        Uri closed;
        await using (var server = new LocalHttpServer(_ => Reply.NotFound))
        {
            closed = server.BaseUri;
        }

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => DataPull.DownloadAsync(Destination, closed));

        Assert.StartsWith($"Could not download {closed}routellm/evals/mmlu/responses/", error.Message);
        Assert.Contains("offline", error.Message);
        Assert.Contains("routellm data pull --from DIR", error.Message);
    }

    [Fact]
    public async Task Copy_mirrors_the_data_folders_reports_each_file_and_rewrites_only_what_changed()
    {
        var mirror = Folder.CopyTree(DataFixtures.Tree, "mirror");
        File.WriteAllText(Path.Combine(mirror, "README.md"), "not data");
        var lines = new List<string>();

        var first = await DataPull.CopyAsync(mirror, Destination, new ListProgress(lines));

        var expected = Directory.GetFiles(DataFixtures.Tree, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DataFixtures.Tree, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, first.Written);
        Assert.Equal(expected.Select(e => $"copied {e} ("), lines.Select(l => l[..(l.IndexOf('(') + 1)]));
        Assert.False(File.Exists(Path.Combine(Destination, "README.md")));
        Assert.All(expected, e => Assert.Equal(File.ReadAllBytes(Path.Combine(mirror, e)), File.ReadAllBytes(Path.Combine(Destination, e))));

        var changed = Path.Combine(mirror, "gold", "mmlu_gold.csv");
        File.AppendAllText(changed, "One more?,True,True,anatomy\n");
        var second = await DataPull.CopyAsync(mirror, Destination);

        Assert.Equal(["gold/mmlu_gold.csv"], second.Written);
        Assert.Equal(expected.Length - 1, second.Unchanged.Count);
        Assert.Equal(5, BenchmarkLoader.LoadGold(Path.Combine(Destination, "gold")).Prompts.Count);
    }

    [Fact]
    public async Task An_interrupted_copy_keeps_the_old_file_whole_and_leaves_no_temporary_file()
    {
        var mirror = Folder.CopyTree(DataFixtures.Tree, "mirror");
        var old = Path.Combine(Destination, "gold", "mmlu_gold.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        File.WriteAllText(old, "the old, complete file");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DataPull.CopyAsync(mirror, Destination, cancellationToken: cancelled.Token));

        Assert.Equal("the old, complete file", File.ReadAllText(old));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task Copy_refuses_a_folder_that_is_not_a_data_folder_or_is_the_destination_itself()
    {
        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => DataPull.CopyAsync(Folder.Path, Destination));
        Assert.Contains("has no routellm/ folder", error.Message);

        await Assert.ThrowsAsync<ArgumentException>(() => DataPull.CopyAsync(DataFixtures.Tree, DataFixtures.Tree + "/"));
    }

    /// <summary>Collects progress lines synchronously, in order.</summary>
    private sealed class ListProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
