namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

public sealed partial class SimilarityWeightedRouterTrainer
{
    /// <summary>
    /// The training scores laid out per kept prompt and rated model (<c>prompts × models</c>, NaN where a model was not
    /// scored; the mean where a prompt was scored twice), or null when the training set has no scores. Scores of prompts
    /// too short to keep, or of models no battle rates, are counted in <paramref name="metrics"/>.
    /// </summary>
    private static float[]? ScoreTable(TrainingSet trainingSet, List<string> keptPrompts, string[] models, Dictionary<string, double> metrics)
    {
        if (trainingSet.Scores.Count == 0)
        {
            return null;
        }

        var promptIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var p = 0; p < keptPrompts.Count; p++)
        {
            promptIndex[keptPrompts[p]] = p;
        }

        var modelIndex = models.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
        var sums = new double[keptPrompts.Count * models.Length];
        var counts = new int[sums.Length];
        var dropped = 0;
        foreach (var score in trainingSet.Scores)
        {
            if (!promptIndex.TryGetValue(trainingSet.Prompts[score.Prompt], out var prompt)
                || !modelIndex.TryGetValue(trainingSet.Models[score.Model], out var model))
            {
                dropped++;
                continue;
            }

            sums[prompt * models.Length + model] += score.Score;
            counts[prompt * models.Length + model]++;
        }

        metrics["scores"] = trainingSet.Scores.Count;
        metrics["scores_dropped"] = dropped;
        return [.. sums.Select((sum, i) => counts[i] > 0 ? (float)(sum / counts[i]) : float.NaN)];
    }
}
