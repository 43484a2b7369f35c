using Microsoft.ML;
using Microsoft.ML.Data;

namespace RouteLLM.MLNet.Tests.Embeddings;

/// <summary>Prompts of a few RouteLLM MMLU response files, read with ML.NET's RFC 4180 text loader.</summary>
internal static class MmluFixture
{
    public static string[] Prompts(string dataDirectory, params string[] subjects)
    {
        var ml = new MLContext(seed: 0);
        var options = new TextLoader.Options { Separators = [','], HasHeader = true, AllowQuoting = true, ReadMultilines = true };
        return [.. subjects.SelectMany(file => ml.Data.CreateEnumerable<Row>(
            ml.Data.LoadFromTextFile<Row>(Path.Combine(dataDirectory, "routellm", "mmlu", "responses", file), options),
            reuseRowObject: false).Select(r => r.Prompt))];
    }

    private sealed class Row
    {
        [LoadColumn(0)]
        public string Prompt { get; set; } = "";
    }
}
