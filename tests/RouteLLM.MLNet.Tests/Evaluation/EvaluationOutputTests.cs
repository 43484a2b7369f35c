using System.Text.Json;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class EvaluationOutputTests
{
    internal static BenchmarkEvaluation Sample(string router = "mf", double? cpt80 = 0.8) => new()
    {
        Router = router,
        RouterFile = "artifacts/mf.zip",
        Benchmark = "mt-bench",
        Prompts = 72,
        Dropped = new DroppedPrompts(8, 3),
        StrongModel = "gpt-4-1106-preview",
        WeakModel = "mixtral-8x7b-instruct-v0.1",
        StrongQuality = 9.1,
        WeakQuality = 8.3,
        Apgr = 0.61,
        ApgrCi95 = new ConfidenceInterval(0.52, 0.7),
        Cpt = new CallPerformanceThresholds(0.125, 0.4, cpt80),
        Cpt50Ci95 = new ConfidenceInterval(0.3, 0.55),
        Points = [new RoutingPoint(0.9, 0, 8.3, 0), new RoutingPoint(0.1, 1, 9.1, 1)],
        RandomApgr = 0.5,
        OracleApgr = 1.4,
        RandomPoints = [new RoutingPoint(null, 0, 8.3, 0), new RoutingPoint(null, 1, 9.1, 1)],
        OraclePoints = [new RoutingPoint(null, 0, 8.3, 0), new RoutingPoint(null, 1, 9.6, 1.625)],
    };

    [Fact]
    public void Json_has_exactly_the_issue_shape()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "out", "results.json");
        EvaluationJson.Write([Sample(), Sample("random", cpt80: null)], path);

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal(2, document.RootElement.GetArrayLength());
        var first = document.RootElement[0];
        Assert.Equal(
            ["router", "router_file", "benchmark", "prompts", "dropped", "strong_model", "weak_model", "strong_quality", "weak_quality",
             "apgr", "apgr_ci95", "cpt", "cpt50_ci95", "points", "random_apgr", "oracle_apgr"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["contaminated_list", "near_training"], first.GetProperty("dropped").EnumerateObject().Select(p => p.Name));
        Assert.Equal(8, first.GetProperty("dropped").GetProperty("contaminated_list").GetInt32());
        Assert.Equal(["20", "50", "80"], first.GetProperty("cpt").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.125, first.GetProperty("cpt").GetProperty("20").GetDouble());
        Assert.Equal([0.52, 0.7], first.GetProperty("apgr_ci95").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([0.3, 0.55], first.GetProperty("cpt50_ci95").EnumerateArray().Select(e => e.GetDouble()));
        var point = first.GetProperty("points")[1];
        Assert.Equal(["threshold", "strong_share", "quality", "pgr"], point.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.1, point.GetProperty("threshold").GetDouble());
        Assert.Equal(JsonValueKind.Null, document.RootElement[1].GetProperty("cpt").GetProperty("80").ValueKind);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Confidence_intervals_read_back_from_their_array_form()
    {
        var interval = new ConfidenceInterval(0.25, 0.75);
        Assert.Equal(interval, JsonSerializer.Deserialize<ConfidenceInterval>(JsonSerializer.Serialize(interval)));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ConfidenceInterval>("[1, 2, 3]"));
    }

    [Fact]
    public void Table_cells_line_up_with_columns()
    {
        var cells = EvaluationTable.Cells(Sample(cpt80: null));

        Assert.Equal(EvaluationTable.Columns.Count, cells.Count);
        Assert.Equal(
            ["mt-bench", "mf", "72", "8/3", "9.1/8.3", "0.610 [0.520, 0.700]", "12.5%", "40.0% [30.0%, 55.0%]", "never", "0.500", "1.400"],
            cells);
    }
}
