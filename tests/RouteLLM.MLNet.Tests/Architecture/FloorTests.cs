using System.Text.RegularExpressions;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Architecture;

/// <summary>
/// docs/ARCHITECTURE.md's rule, enforced on the sources: a folder of src/RouteLLM.MLNet names no namespace of a floor
/// above its own (in a using directive or a qualified name).
/// </summary>
public sealed partial class FloorTests
{
    // The floors of docs/ARCHITECTURE.md; a new folder must be placed here before it compiles into the core.
    private static readonly Dictionary<string, int> FloorOf = new(StringComparer.Ordinal)
    {
        ["IO"] = 0,
        ["Data"] = 0,
        ["Embeddings"] = 1,
        ["Ranking"] = 2,
        ["Catalogue"] = 2,
        ["Routers"] = 3,
        ["Scoring"] = 4,
        ["Policies"] = 4,
        ["Evaluation"] = 5,
    };

    [Fact]
    public void No_folder_of_the_core_names_a_floor_above_its_own()
    {
        var core = Path.Combine(SharedData.RepositoryRoot, "src", "RouteLLM.MLNet");
        var violations = new List<string>();
        foreach (var folder in Directory.GetDirectories(core).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")))
        {
            Assert.True(FloorOf.ContainsKey(folder!), $"src/RouteLLM.MLNet/{folder}/ has no floor: place it in docs/ARCHITECTURE.md and in FloorTests.");
            foreach (var file in Directory.EnumerateFiles(Path.Combine(core, folder!), "*.cs", SearchOption.AllDirectories))
            {
                violations.AddRange(Violations(folder!, File.ReadAllText(file)).Select(v => $"{Path.GetRelativePath(core, file)}: {v}"));
            }
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void The_scan_finds_using_directives_and_qualified_names_of_higher_floors_and_ignores_comments()
    {
        const string source = """
            using RouteLLM.MLNet.Data;
            using RouteLLM.MLNet.Routers.Baseline;

            namespace RouteLLM.MLNet.Embeddings;

            // Mentioning Routers.RouterModel in a comment is fine.
            internal static class Planted
            {
                public static object Load(string path) => RouteLLM.MLNet.Scoring.RouterScorer.Load(path);

                public static object Manifest(Routers.RouterModel model) => model;
            }
            """;

        Assert.Equal(
            ["names Routers (floor 3) on line 2", "names Scoring (floor 4) on line 9", "names Routers (floor 3) on line 11"],
            Violations("Embeddings", source));
        Assert.Empty(Violations("Evaluation", source));
    }

    private static List<string> Violations(string folder, string source)
    {
        var floor = FloorOf[folder];
        var found = new List<string>();
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("namespace ", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match match in FolderReference().Matches(line))
            {
                var named = match.Groups["folder"].Value;
                if (FloorOf.TryGetValue(named, out var namedFloor) && namedFloor > floor)
                {
                    found.Add($"names {named} (floor {namedFloor}) on line {i + 1}");
                }
            }
        }

        return found;
    }

    // "RouteLLM.MLNet.X" anywhere, or "X.Type" qualified from a sibling namespace of RouteLLM.MLNet.
    [GeneratedRegex(@"RouteLLM\.MLNet\.(?<folder>\w+)|(?<![\w.])(?<folder>[A-Z]\w*)\.[A-Z]\w*")]
    private static partial Regex FolderReference();
}
