using Microsoft.ML;
using Microsoft.ML.Data;

namespace RouteLLM.Benchmarks;

/// <summary>
/// A fixed sample of real MMLU prompts from RouteLLM's response CSVs, read from <c>$ROUTELLM_DATA</c> or from
/// <c>../shared/data</c> beside the repository (the layout of docs/../shared/data/README.md).
/// </summary>
internal static class MmluPrompts
{
    // RFC 4180: prompts hold quoted commas, doubled quotes and line breaks.
    private static readonly TextLoader.Options CsvOptions = new() { Separators = [','], HasHeader = true, AllowQuoting = true, ReadMultilines = true };

    /// <summary>Distinct prompts of all 57 subjects, shuffled with a fixed seed, first <paramref name="count"/>.</summary>
    public static string[] Sample(int count)
    {
        var directory = Path.Combine(DataDirectory(), "routellm", "mmlu", "responses");
        var ml = new MLContext(seed: 0);
        var prompts = Directory.GetFiles(directory, "mmlu_*.csv").Order(StringComparer.Ordinal)
            .SelectMany(file => ml.Data.CreateEnumerable<Row>(
                ml.Data.LoadFromTextFile<Row>(file, CsvOptions),
                reuseRowObject: false).Select(r => r.Prompt))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        new Random(20240701).Shuffle(prompts);
        return prompts.Length >= count
            ? prompts[..count]
            : throw new InvalidOperationException($"{directory} holds {prompts.Length} distinct prompts, fewer than {count}.");
    }

    private static string DataDirectory()
    {
        if (Environment.GetEnvironmentVariable("ROUTELLM_DATA") is { Length: > 0 } configured)
        {
            return configured;
        }

        if (RepositoryDirectory.Find() is { } root && Path.Combine(root, "..", "shared", "data") is var candidate && Directory.Exists(candidate))
        {
            return Path.GetFullPath(candidate);
        }

        throw new DirectoryNotFoundException("No MMLU data: set ROUTELLM_DATA to a folder laid out like ../shared/data.");
    }

    private sealed class Row
    {
        [LoadColumn(0)]
        public string Prompt { get; set; } = "";
    }
}
