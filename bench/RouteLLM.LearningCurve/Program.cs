using System.Globalization;
using System.Text.Json;
using RouteLLM.LearningCurve;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.IO;
using RouteLLM.MLNet.Routers.ModelSelection;

// dotnet run --project bench/RouteLLM.LearningCurve -c Release -- --data ../shared/data --mmlu-sizes 100,300,1000,3000
//     --alpacaeval-sizes 100,300,600 --seeds 0,1,2 --json out/learning-curve.json
var options = args.Select((arg, i) => (arg, i)).Where(a => a.arg.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(a => a.arg[2..], a => a.i + 1 < args.Length ? args[a.i + 1] : "", StringComparer.Ordinal);
string[] known = ["data", "mmlu-sizes", "alpacaeval-sizes", "seeds", "json"];
var unknown = options.Keys.Except(known).FirstOrDefault();
if (unknown is not null || args.Length % 2 != 0)
{
    Console.Error.WriteLine($"unknown option or missing value{(unknown is null ? "" : $": --{unknown}")}; options: {string.Join(", ", known.Select(k => "--" + k))} (an empty size list skips that data)");
    return 2;
}

string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
int[] Numbers(string name, string fallback) =>
    [.. Option(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture))];

var data = Option("data", "../shared/data");
var seeds = Numbers("seeds", "0");
var runs = new List<(ReplayTraffic Traffic, int[] Sizes)>();
if (Numbers("mmlu-sizes", "100,300,1000,3000") is { Length: > 0 } mmluSizes)
{
    runs.Add((ReplayTraffic.Mmlu(data), mmluSizes));
}

if (Numbers("alpacaeval-sizes", "100,300,600") is { Length: > 0 } alpacaSizes)
{
    runs.Add((ReplayTraffic.AlpacaEval(data), alpacaSizes));
}

foreach (var (traffic, _) in runs)
{
    Console.WriteLine($"{traffic.Name}: {traffic.Prompts.Count} prompts; left out: {(traffic.Excluded.Count == 0 ? "none" : string.Join(", ", traffic.Excluded.Select(e => $"{e.Value} {e.Key}")))}");
}

using var generator = new DiskCachingEmbeddingGenerator(new MiniLmEmbeddingGenerator());
var allPrompts = runs.SelectMany(r => r.Traffic.Prompts).ToArray();
Console.WriteLine($"embedding {allPrompts.Length} prompts ({string.Join(", ", runs.Select(r => $"{r.Traffic.Name}: {r.Traffic.Prompts.Count}"))})");
var embeddings = await PromptEmbeddingTable.CreateAsync(generator, allPrompts);

// The journals are scratch: each run labels from nothing, so its call counts are its own.
var work = Directory.CreateTempSubdirectory("routellm-learning-curve-");
var runner = new LearningCurveRunner(embeddings, work.FullName);
var points = new List<LearningCurvePoint>();
foreach (var (traffic, sizes) in runs)
{
    foreach (var seed in seeds)
    {
        points.AddRange(await runner.RunAsync(traffic, sizes, seed, Console.Out));
    }
}

Console.WriteLine("data | labelled prompts | router | APGR mean over seeds | 95% CI (per seed) | random");
foreach (var group in points.GroupBy(p => (p.Data, p.Labelled, p.Router)))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{group.Key.Data} | {group.Key.Labelled} | {group.Key.Router} | {group.Average(p => p.Apgr):F3} | {string.Join("; ", group.Select(p => $"{p.Apgr:F3} [{p.ApgrInterval.Lower:F3}, {p.ApgrInterval.Upper:F3}]"))} | {group.Average(p => p.RandomApgr):F3}"));
}

work.Delete(recursive: true);
if (options.TryGetValue("json", out var json))
{
    AtomicFile.Write(json, stream => JsonSerializer.Serialize(stream, points, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"wrote {json}");
}

return 0;
