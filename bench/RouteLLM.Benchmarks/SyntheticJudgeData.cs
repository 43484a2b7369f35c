using RouteLLM.MLNet.Data;

namespace RouteLLM.Benchmarks;

/// <summary>
/// Data shaped like ../shared/data's judge battles, for benchmarks whose cost depends on the shape, not the content:
/// every battle sets one of two hub models (index 0 or 1) against one of the others, the first <c>ties</c> battles are
/// ties, and the others follow random model skills.
/// </summary>
internal static class SyntheticJudgeData
{
    /// <summary>
    /// <paramref name="count"/> battles between <paramref name="models"/>; a battle's prompt is <paramref name="promptOf"/>
    /// of an index drawn below <paramref name="prompts"/>. Model A (the hub) beats model B with probability
    /// <paramref name="aWinsGivenSkillGap"/>(skill B − skill A), skills uniform in [−2, 2].
    /// </summary>
    public static List<Battle> HubBattles(
        Random random, IReadOnlyList<string> models, int count, int ties, int prompts, Func<int, string> promptOf,
        Func<double, double> aWinsGivenSkillGap)
    {
        var skills = models.Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var battles = new List<Battle>(count);
        for (var i = 0; i < count; i++)
        {
            var hub = random.Next(2);
            var other = 2 + random.Next(models.Count - 2);
            var outcome = i < ties ? BattleOutcome.Tie
                : random.NextDouble() < aWinsGivenSkillGap(skills[other] - skills[hub]) ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins;
            battles.Add(new Battle(promptOf(random.Next(prompts)), models[hub], models[other], outcome));
        }

        return battles;
    }

    /// <summary>
    /// A random unit vector of <paramref name="dimension"/> components; with <paramref name="common"/>, tilted towards it so
    /// that cosine similarities are mostly positive, as with real text embedders.
    /// </summary>
    public static float[] UnitVector(Random random, int dimension, float[]? common = null)
    {
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++) v[i] = (float)(random.NextDouble() * 2 - 1) + (common is null ? 0 : 0.5f * common[i]);
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < dimension; i++) v[i] /= norm;
        return v;
    }
}
