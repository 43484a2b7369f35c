using RouteLLM.MLNet.Evaluation;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Plotting.Tests;

public sealed class DecisionLogPlotTests
{
    [Fact]
    public void The_html_holds_the_routed_share_by_day_and_the_calibrated_level()
    {
        var usage = new PolicyUsage("router-mf@0.3", "mf", 2, "0123456789ab", 4, new Dictionary<string, int> { ["gpt-4"] = 2, ["mixtral"] = 2 }, new Dictionary<string, int> { ["strong"] = 2, ["weak"] = 2 }, 0.4m, 0, 0.8m, 0.4m, 0.5, 0.3, 0,
            [new DailyStrongShare(new DateOnly(2026, 1, 1), 2, 0.25), new DailyStrongShare(new DateOnly(2026, 1, 2), 2, 0.75)]);
        using var directory = new TemporaryDirectory();
        var path = directory.File("report.html");
        DecisionLogPlot.SaveHtml([usage], path);
        var html = File.ReadAllText(path);

        Assert.Contains("router-mf@0.3 (v2 0123456789ab): routed", html);
        Assert.Contains("router-mf@0.3 (v2 0123456789ab): calibrated", html);
        Assert.Contains("[25.0,75.0]", html);
        Assert.Contains("[30.0,30.0]", html);
    }

    [Fact]
    public void An_empty_log_is_refused() =>
        Assert.Throws<ArgumentException>(() => DecisionLogPlot.Create([]));
}
