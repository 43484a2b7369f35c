using System.Text.Json;
using RouteLLM.MLNet.IO;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>Writes evaluation results as the JSON array <c>routellm evaluate --json</c> produces.</summary>
public static class EvaluationJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>
    /// Writes <paramref name="evaluations"/> to <paramref name="path"/> as one JSON array, one object per (router,
    /// benchmark) in the shape documented on <see cref="BenchmarkEvaluation"/>; through a temporary file, then moved.
    /// </summary>
    /// <param name="evaluations">The results.</param>
    /// <param name="path">Destination; replaced if it exists.</param>
    public static void Write(IReadOnlyList<BenchmarkEvaluation> evaluations, string path)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, evaluations, Options));
    }

    /// <summary>
    /// Writes multi-model <paramref name="evaluations"/> to <paramref name="path"/> as one JSON array, one object per
    /// (router, benchmark) in the shape documented on <see cref="MultiModelEvaluation"/>; through a temporary file.
    /// </summary>
    /// <param name="evaluations">The results.</param>
    /// <param name="path">Destination; replaced if it exists.</param>
    public static void Write(IReadOnlyList<MultiModelEvaluation> evaluations, string path)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, evaluations, Options));
    }
}
