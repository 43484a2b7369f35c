using System.Globalization;
using System.Net.Http;
using RouteLLM.MLNet.IO;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Fills a data folder (<see cref="DataLayout"/>): downloads RouteLLM's public benchmark files from GitHub, or copies a
/// whole data folder from a local mirror. Every file is written beside its destination and moved into place when
/// complete, so an interrupted pull never leaves a half-written file.
/// </summary>
public static class DataPull
{
    /// <summary>Where RouteLLM's files are served: its repository's <c>main</c> branch on raw.githubusercontent.com.</summary>
    public static Uri RouteLLMBaseUri { get; } = new("https://raw.githubusercontent.com/lm-sys/RouteLLM/main/");

    private static readonly string[] CopiedFolders = ["routellm", "preferences", "gold", "routerbench", "models"];

    /// <summary>
    /// The files <see cref="DownloadAsync"/> fetches: the 57 MMLU response CSVs and MMLU's contamination list, MT-Bench's
    /// questions, GPT-4 judgements and contamination list, GSM8K's responses and contamination list, and the MT-Bench
    /// answers of the commercial routers RouteLLM compares against. The battles (<c>preferences/</c>) and gold labels
    /// (<c>gold/</c>) are not RouteLLM's files: copy them from a mirror, or bring your own.
    /// </summary>
    public static IReadOnlyList<RemoteDataFile> RouteLLMFiles { get; } =
    [
        .. BenchmarkLoader.MmluSubjects.Select(s => Evals($"mmlu/responses/mmlu_{s}.csv")),
        Evals("mmlu/contaminated_prompts.jsonl"),
        Evals("mt_bench/question.jsonl"),
        Evals("mt_bench/judgements.jsonl"),
        Evals("mt_bench/contaminated_prompts.jsonl"),
        Evals("gsm8k/gsm8k_responses.csv"),
        Evals("gsm8k/contaminated_prompts.jsonl"),
        .. new[] { "martian", "unify", "gpt-4_single" }.Select(n => new RemoteDataFile($"benchmarks/mt-bench/{n}.jsonl", $"routellm/benchmarks/mt-bench/{n}.jsonl")),
    ];

    /// <summary>Time allowed for each downloaded file unless the caller gives another: 60 seconds.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Downloads <see cref="RouteLLMFiles"/> into <paramref name="dataDirectory"/>. Files already there are kept (a
    /// file there is complete, since pulls only ever move complete files into place); delete one to fetch it again.
    /// </summary>
    /// <param name="dataDirectory">The data folder; created if needed.</param>
    /// <param name="baseUri">Where the files are served; null for <see cref="RouteLLMBaseUri"/>.</param>
    /// <param name="timeout">Time allowed for each file; null for <see cref="DefaultTimeout"/>.</param>
    /// <param name="progress">Told of each file written, as a line for a person.</param>
    /// <param name="cancellationToken">Stops the pull; files already written stay.</param>
    /// <exception cref="HttpRequestException">A file could not be downloaded; the message names it and why (offline, timed out, HTTP status).</exception>
    public static async Task<DataPullResult> DownloadAsync(string dataDirectory, Uri? baseUri = null, TimeSpan? timeout = null,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var perFile = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perFile, TimeSpan.Zero, nameof(timeout));
        var root = baseUri ?? RouteLLMBaseUri;
        root = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var written = new List<string>();
        var unchanged = new List<string>();
        long bytes = 0;
        foreach (var file in RouteLLMFiles)
        {
            var destination = Path.Combine(dataDirectory, file.LocalPath);
            if (File.Exists(destination))
            {
                unchanged.Add(file.LocalPath);
                continue;
            }

            var url = new Uri(root, file.RemotePath);
            var size = await DownloadFileAsync(http, url, destination, perFile, cancellationToken);
            bytes += size;
            written.Add(file.LocalPath);
            progress?.Report($"downloaded {file.LocalPath} ({FormatSize(size)})");
        }

        return new DataPullResult(written, unchanged, bytes);
    }

    /// <summary>
    /// Copies the <c>routellm/</c>, <c>preferences/</c> and <c>gold/</c> folders of a data folder (such as <c>../shared/data</c>) into
    /// <paramref name="dataDirectory"/>. A destination file of the same size and modification time is left alone;
    /// any other is replaced through a temporary file.
    /// </summary>
    /// <param name="sourceDirectory">The mirror: a data folder with at least <c>routellm/</c>.</param>
    /// <param name="dataDirectory">The data folder; created if needed.</param>
    /// <param name="progress">Told of each file written, as a line for a person.</param>
    /// <param name="cancellationToken">Stops the copy; files already written stay.</param>
    /// <exception cref="DirectoryNotFoundException">The source has no <c>routellm/</c> folder.</exception>
    /// <exception cref="ArgumentException">Source and destination are the same folder.</exception>
    public static async Task<DataPullResult> CopyAsync(string sourceDirectory, string dataDirectory,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var source = Path.GetFullPath(sourceDirectory);
        if (!Directory.Exists(Path.Combine(source, "routellm")))
        {
            throw new DirectoryNotFoundException(
                $"{sourceDirectory} is not a data folder: it has no routellm/ folder (expected routellm/, preferences/, gold/).");
        }

        if (string.Equals(source.TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new ArgumentException($"--from {sourceDirectory} is the data folder itself.", nameof(sourceDirectory));
        }

        var written = new List<string>();
        var unchanged = new List<string>();
        long bytes = 0;
        var files = CopiedFolders
            .Select(f => Path.Combine(source, f))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '/');
            var destination = Path.Combine(dataDirectory, relative);
            var from = new FileInfo(file);
            var to = new FileInfo(destination);
            if (to.Exists && to.Length == from.Length && to.LastWriteTimeUtc == from.LastWriteTimeUtc)
            {
                unchanged.Add(relative);
                continue;
            }

            var size = await AtomicFile.WriteAsync(destination, async (stream, ct) =>
            {
                await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                await input.CopyToAsync(stream, ct);
            }, from.LastWriteTimeUtc, cancellationToken);
            bytes += size;
            written.Add(relative);
            progress?.Report($"copied {relative} ({FormatSize(size)})");
        }

        return new DataPullResult(written, unchanged, bytes);
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:F1} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB"),
    };

    private static RemoteDataFile Evals(string path) => new($"routellm/evals/{path}", $"routellm/{path}");

    private static async Task<long> DownloadFileAsync(HttpClient http, Uri url, string destination, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(
                    $"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
            }

            return await AtomicFile.WriteAsync(destination, (stream, ct) => response.Content.CopyToAsync(stream, ct), null, deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"GET {url} timed out after {timeout.TotalSeconds:0.#} s. {OfflineAdvice}", e);
        }
        catch (Exception e) when (e is HttpIOException || (e is HttpRequestException { StatusCode: null } && e.InnerException is not null))
        {
            throw new HttpRequestException($"Could not download {url}: {e.Message.TrimEnd('.')}. {OfflineAdvice}", e);
        }
    }

    private const string OfflineAdvice =
        "If this machine is offline, copy the files from a local mirror instead: routellm data pull --from DIR.";
}
