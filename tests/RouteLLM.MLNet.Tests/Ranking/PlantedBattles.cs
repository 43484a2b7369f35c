using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Tests.Ranking;

/// <summary>Random battles between models of planted strength (log10 odds), with ties and random weights.</summary>
internal static class PlantedBattles
{
    public static List<Battle> Draw(Random random, string[] models, double[] strength, int count, double tieRate, string[] prompts,
        double minWeight, double maxWeight)
    {
        var battles = new List<Battle>(count);
        for (var i = 0; i < count; i++)
        {
            var a = random.Next(models.Length);
            var b = (a + 1 + random.Next(models.Length - 1)) % models.Length;
            var pA = 1 / (1 + Math.Pow(10, strength[b] - strength[a]));
            var u = random.NextDouble();
            var outcome = u < tieRate ? BattleOutcome.Tie : u < tieRate + (1 - tieRate) * pA ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins;
            var weight = (float)(minWeight + (maxWeight - minWeight) * random.NextDouble());
            battles.Add(new Battle(prompts[random.Next(prompts.Length)], models[a], models[b], outcome, weight));
        }

        return battles;
    }
}
