using System.Numerics.Tensors;

[assembly: RouteLLM.MLNet.Routers.RouterKind("mf", typeof(RouteLLM.MLNet.Routers.MatrixFactorization.MatrixFactorizationRouterModel.Loader))]

namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// RouteLLM's matrix-factorization router, trained: P(strong wins | q) = σ(δ(strong, q) − δ(weak, q)) with
/// δ(m, q) = w2·(P[m]/‖P[m]‖ ⊙ W·e_q). Because δ is linear in e_q, the pair's logit is one dot product
/// u·e_q with u = Wᵀ(w2 ⊙ (p̂_strong − p̂_weak)), computed once per pair; scoring a batch costs one dot per prompt.
/// Immutable and thread-safe.
/// </summary>
public sealed partial class MatrixFactorizationRouterModel : RouterModel
{
    private const string ModelVectorsEntry = "mf/model_vectors.idv";
    private const string ProjectionEntry = "mf/projection.idv";
    private const string ClassifierEntry = "mf/classifier.idv";
    private const string ModelBiasesEntry = "mf/model_biases.idv";

    private readonly float[] _modelVectors;
    private readonly float[] _projection;
    private readonly float[] _classifier;
    private readonly float[] _direction;
    private readonly MultiModelQualities _qualities;
    private readonly float[]? _modelBiases;

    internal MatrixFactorizationRouterModel(
        RouterManifest manifest, PromptEmbeddings? trainingPrompts, float[] modelVectors, float[] projection, float[] classifier,
        MultiModelQualities qualities, float[]? modelBiases)
        : base(manifest, trainingPrompts)
    {
        _qualities = qualities;
        _modelBiases = modelBiases is null || modelBiases.Length == manifest.Models.Count
            ? modelBiases
            : throw new ArgumentException($"{modelBiases.Length} model biases for {manifest.Models.Count} models.", nameof(modelBiases));
        var embedder = manifest.Embedder ?? throw new ArgumentException("A matrix-factorization router reads embeddings; its manifest names no embedder.");
        Dimension = classifier.Length;
        if (Dimension == 0 || modelVectors.Length != manifest.Models.Count * Dimension || projection.Length != embedder.Dimension * Dimension)
        {
            throw new ArgumentException(
                $"Parameter shapes do not agree: {manifest.Models.Count} models, embedding dimension {embedder.Dimension}, dimension {Dimension}.");
        }

        _modelVectors = modelVectors;
        _projection = projection;
        _classifier = classifier;
        _direction = PairDirection(Index(manifest.StrongModel), Index(manifest.WeakModel));
    }

    /// <summary>Length of the model vectors and of the projected prompt.</summary>
    public int Dimension { get; }

    /// <inheritdoc/>
    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        var d = _direction.Length;
        // Scalar sigmoid per prompt: a vectorised one rounds differently by position, and a prompt must score the
        // same alone as in a batch.
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = 1f / (1f + MathF.Exp(-TensorPrimitives.Dot(_direction, embeddings.Slice(i * d, d))));
        }
    }

    /// <inheritdoc/>
    protected override RouterModel WithModelsCore(RouterManifest manifest) =>
        new MatrixFactorizationRouterModel(manifest, TrainingPrompts, _modelVectors, _projection, _classifier, _qualities, _modelBiases);

    /// <inheritdoc/>
    protected internal override void SaveContents(RouterZipWriter writer)
    {
        writer.WriteMatrix(ModelVectorsEntry, _modelVectors, Manifest.Models.Count, Dimension);
        writer.WriteMatrix(ProjectionEntry, _projection, _projection.Length / Dimension, Dimension);
        writer.WriteMatrix(ClassifierEntry, _classifier, 1, Dimension);
        if (_modelBiases is not null)
        {
            writer.WriteMatrix(ModelBiasesEntry, _modelBiases, 1, _modelBiases.Length);
        }

        _qualities.Save(writer);
    }

    private int Index(string model)
    {
        for (var i = 0; i < Manifest.Models.Count; i++)
        {
            if (Manifest.Models[i] == model)
            {
                return i;
            }
        }

        throw new ArgumentException($"Model '{model}' is not among the router's models.");
    }

    private float[] PairDirection(int strong, int weak)
    {
        var k = Dimension;
        var difference = new float[k];
        var strongVector = _modelVectors.AsSpan(strong * k, k);
        var weakVector = _modelVectors.AsSpan(weak * k, k);
        TensorPrimitives.Divide(strongVector, MathF.Max(TensorPrimitives.Norm(strongVector), 1e-12f), difference);
        var weakUnit = new float[k];
        TensorPrimitives.Divide(weakVector, MathF.Max(TensorPrimitives.Norm(weakVector), 1e-12f), weakUnit);
        TensorPrimitives.Subtract(difference, weakUnit, difference);
        TensorPrimitives.Multiply(difference, _classifier, difference);

        var direction = new float[_projection.Length / k];
        for (var e = 0; e < direction.Length; e++)
        {
            direction[e] = TensorPrimitives.Dot(_projection.AsSpan(e * k, k), difference);
        }

        return direction;
    }

    /// <summary>Reads matrix-factorization routers from their zip.</summary>
    public sealed class Loader : IRouterModelLoader
    {
        /// <inheritdoc/>
        public RouterModel Load(RouterZipReader reader)
        {
            ArgumentNullException.ThrowIfNull(reader);
            var manifest = reader.Manifest;
            var embedder = manifest.Embedder ?? throw reader.Error("an mf router must name its embedder in the manifest");
            var modelVectors = reader.ReadMatrix(ModelVectorsEntry, out var models, out var dimension);
            var projection = reader.ReadMatrix(ProjectionEntry, out var projectionRows, out var projectionColumns);
            var classifier = reader.ReadMatrix(ClassifierEntry, out var classifierRows, out var classifierColumns);
            if (models != manifest.Models.Count || projectionRows != embedder.Dimension || projectionColumns != dimension
                || classifierRows != 1 || classifierColumns != dimension)
            {
                throw reader.Error(
                    $"mf parameter shapes disagree: {ModelVectorsEntry} {models}×{dimension} for {manifest.Models.Count} models, " +
                    $"{ProjectionEntry} {projectionRows}×{projectionColumns} for embedding dimension {embedder.Dimension}, " +
                    $"{ClassifierEntry} {classifierRows}×{classifierColumns}");
            }

            float[]? biases = null;
            if (manifest.EntryDigests.ContainsKey(ModelBiasesEntry))
            {
                biases = reader.ReadMatrix(ModelBiasesEntry, out var biasRows, out var biasColumns);
                if (biasRows != 1 || biasColumns != manifest.Models.Count)
                {
                    throw reader.Error($"{ModelBiasesEntry}: {biasRows}×{biasColumns} for {manifest.Models.Count} models");
                }
            }

            return new MatrixFactorizationRouterModel(
                manifest, reader.ReadTrainingPrompts(), modelVectors, projection, classifier, MultiModelQualities.Load(reader), biases);
        }
    }
}
