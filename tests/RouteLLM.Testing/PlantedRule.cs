using RouteLLM.MLNet.Data;

namespace RouteLLM.Testing;

/// <summary>
/// Synthetic battles with a rule a router must find: the strong model wins exactly on prompts that contain the
/// marker word. Some battles are ties and some involve a model outside both tiers.
/// </summary>
public static class PlantedRule
{
    public const string Strong = "gpt-4-1106-preview";
    public const string Weak = "mixtral-8x7b-instruct-v0.1";
    public const string Outsider = "claude-2";
    public const string Marker = "zebra";

    private static readonly string[] Words =
    [
        "apple", "river", "house", "green", "music", "table", "window", "garden", "letter", "summer", "market", "paper",
        "engine", "forest", "yellow", "silver", "doctor", "pencil", "island", "castle", "planet", "bridge", "coffee", "winter",
    ];

    /// <summary>A prompt of random words, with the marker at a random place when <paramref name="marked"/>.</summary>
    public static string Prompt(Random random, bool marked)
    {
        var words = Enumerable.Range(0, random.Next(4, 10)).Select(_ => Words[random.Next(Words.Length)]).ToList();
        if (marked)
        {
            words.Insert(random.Next(words.Count + 1), Marker);
        }

        return string.Join(' ', words);
    }

    /// <summary>Three battles per prompt: strong vs weak in both orientations by chance, one in ten a tie, plus one with an outsider.</summary>
    public static List<Battle> Battles(int prompts, int seed)
    {
        var random = new Random(seed);
        var battles = new List<Battle>();
        for (var p = 0; p < prompts; p++)
        {
            var marked = p % 2 == 0;
            var prompt = Prompt(random, marked);
            for (var b = 0; b < 3; b++)
            {
                var strongIsA = random.Next(2) == 0;
                var outcome = random.Next(10) == 0 ? BattleOutcome.Tie
                    : marked == strongIsA ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins;
                battles.Add(strongIsA ? new(prompt, Strong, Weak, outcome) : new(prompt, Weak, Strong, outcome));
            }

            battles.Add(new(prompt, Strong, Outsider, BattleOutcome.ModelAWins));
        }

        return battles;
    }
}
