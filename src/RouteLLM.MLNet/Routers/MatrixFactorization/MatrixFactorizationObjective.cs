using System.Numerics.Tensors;

namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// One decisive battle, oriented as RouteLLM orients it: the winner first, so that the label is always 1 and the logit
/// is δ(winner, q) − δ(loser, q). Or one model's score on a prompt (<see cref="Loser"/> = <see cref="Pointwise"/>): the
/// logit is δ(model, q) and the label the score, so that σ(δ(m, q)) learns P(correct | m, q).
/// </summary>
/// <param name="Prompt">Row of the prompt's embedding.</param>
/// <param name="Winner">Row of the winning (or scored) model in P.</param>
/// <param name="Loser">Row of the losing model in P, or <see cref="Pointwise"/>.</param>
/// <param name="Weight">Sample weight (&gt; 0).</param>
/// <param name="Label">1 for a battle; the score in [0, 1] for a pointwise example.</param>
internal readonly record struct MatrixFactorizationExample(int Prompt, int Winner, int Loser, float Weight, float Label = 1)
{
    /// <summary>The <see cref="Loser"/> of a pointwise example: no opponent.</summary>
    public const int Pointwise = -1;
}

/// <summary>
/// RouteLLM's MF loss on a batch and its gradient, by hand: logit s = w2·((p̂_win − p̂_lose) ⊙ W(e + σn)),
/// p̂ = P/‖P‖ (for a pointwise example s = w2·(p̂_m ⊙ W(e + σn)) + b_m with label y), loss = Σ ω·BCE(s, y) / Σ ω (label 1 for battles, the weighted mean so that a battle of weight 2
/// counts exactly as two copies). Buffers are allocated once for the largest batch; an instance is not thread-safe.
/// </summary>
internal sealed class MatrixFactorizationObjective
{
    private const float NormEpsilon = 1e-12f; // torch.nn.functional.normalize's eps

    private readonly int _models;
    private readonly int _embeddingDimension;
    private readonly int _dimension;
    private readonly int _capacity;
    private readonly float[] _inputs;
    private readonly float[] _hidden;
    private readonly float[] _hiddenGradient;
    private readonly float[] _logits;
    private readonly float[] _unitVectors;
    private readonly float[] _norms;
    private readonly float[] _unitGradient;
    private readonly float[] _difference;
    private readonly float[] _scaled;
    private readonly float[] _product;

    public MatrixFactorizationObjective(int models, int embeddingDimension, int dimension, int batchCapacity)
    {
        _models = models;
        _embeddingDimension = embeddingDimension;
        _dimension = dimension;
        _capacity = batchCapacity;
        _inputs = new float[batchCapacity * embeddingDimension];
        _hidden = new float[batchCapacity * dimension];
        _hiddenGradient = new float[batchCapacity * dimension];
        _logits = new float[batchCapacity];
        _unitVectors = new float[models * dimension];
        _norms = new float[models];
        _unitGradient = new float[models * dimension];
        _difference = new float[dimension];
        _scaled = new float[dimension];
        _product = new float[dimension];
    }

    /// <summary>
    /// Overwrites <paramref name="gradient"/> (laid out as <see cref="MatrixFactorizationParameters.Values"/>) with the
    /// gradient of the batch's loss, and returns the loss. <paramref name="noise"/> (<c>batch.Length × D</c>, or empty)
    /// is added to the prompt embeddings, one row per battle, as RouteLLM adds N(0, 0.1²) noise while training.
    /// </summary>
    public float LossAndGradient(
        MatrixFactorizationParameters parameters, ReadOnlySpan<float> embeddings, ReadOnlySpan<MatrixFactorizationExample> batch,
        ReadOnlySpan<float> noise, Span<float> gradient)
    {
        var totalWeight = Forward(parameters, embeddings, batch, noise);
        var k = _dimension;
        var classifier = parameters.Classifier;
        var classifierGradient = gradient.Slice((_models + _embeddingDimension) * k, k);
        classifierGradient.Clear();
        var biasGradient = gradient.Slice((_models + _embeddingDimension + 1) * k, _models);
        biasGradient.Clear();
        _unitGradient.AsSpan().Clear();
        double loss = 0;
        for (var b = 0; b < batch.Length; b++)
        {
            var example = batch[b];
            var logit = _logits[b];
            loss += example.Weight * LogLoss(logit, example.Label);
            var slope = example.Weight * LossSlope(logit, example.Label) / totalWeight;
            var hidden = _hidden.AsSpan(b * k, k);
            Difference(example);
            TensorPrimitives.Multiply(classifier, _difference, _scaled);
            TensorPrimitives.Multiply(_scaled, slope, _hiddenGradient.AsSpan(b * k, k));
            TensorPrimitives.Multiply(_difference, hidden, _product);
            TensorPrimitives.MultiplyAdd(_product, slope, classifierGradient, classifierGradient);
            TensorPrimitives.Multiply(classifier, hidden, _product);
            var winnerGradient = _unitGradient.AsSpan(example.Winner * k, k);
            TensorPrimitives.MultiplyAdd(_product, slope, winnerGradient, winnerGradient);
            if (example.Loser == MatrixFactorizationExample.Pointwise)
            {
                biasGradient[example.Winner] += slope;
            }
            else
            {
                var loserGradient = _unitGradient.AsSpan(example.Loser * k, k);
                TensorPrimitives.MultiplyAdd(_product, -slope, loserGradient, loserGradient);
            }
        }

        // dW = Xᵀ·dH: rows of W are embedding coordinates, so X is read transposed (row stride 1, column stride D).
        MatrixKernels.Multiply(_inputs, 1, _embeddingDimension, _hiddenGradient, gradient.Slice(_models * k, _embeddingDimension * k),
            _embeddingDimension, batch.Length, k);

        // Through p̂ = p/‖p‖: dp = (dp̂ − p̂(p̂·dp̂)) / ‖p‖.
        for (var m = 0; m < _models; m++)
        {
            var unit = Unit(m);
            var unitGradient = _unitGradient.AsSpan(m * k, k);
            var modelGradient = gradient.Slice(m * k, k);
            TensorPrimitives.MultiplyAdd(unit, -TensorPrimitives.Dot(unit, unitGradient), unitGradient, modelGradient);
            TensorPrimitives.Divide(modelGradient, _norms[m], modelGradient);
        }

        return (float)(loss / totalWeight);
    }

    /// <summary>Weighted mean loss over any number of battles, without noise (validation).</summary>
    public double Loss(
        MatrixFactorizationParameters parameters, ReadOnlySpan<float> embeddings, ReadOnlySpan<MatrixFactorizationExample> examples)
    {
        double loss = 0, weight = 0;
        for (var start = 0; start < examples.Length; start += _capacity)
        {
            var batch = examples.Slice(start, Math.Min(_capacity, examples.Length - start));
            weight += Forward(parameters, embeddings, batch, noise: []);
            for (var b = 0; b < batch.Length; b++)
            {
                loss += batch[b].Weight * LogLoss(_logits[b], batch[b].Label);
            }
        }

        return weight == 0 ? 0 : loss / weight;
    }

    private float Forward(
        MatrixFactorizationParameters parameters, ReadOnlySpan<float> embeddings, ReadOnlySpan<MatrixFactorizationExample> batch,
        ReadOnlySpan<float> noise)
    {
        var d = _embeddingDimension;
        var k = _dimension;
        if (batch.Length > _capacity || !noise.IsEmpty && noise.Length != batch.Length * d)
        {
            throw new ArgumentException($"Batch of {batch.Length} (noise {noise.Length}) does not fit the workspace's {_capacity} × {d}.");
        }

        var inputs = _inputs.AsSpan(0, batch.Length * d);
        float totalWeight = 0;
        for (var b = 0; b < batch.Length; b++)
        {
            var prompt = embeddings.Slice(batch[b].Prompt * d, d);
            if (noise.IsEmpty)
            {
                prompt.CopyTo(inputs.Slice(b * d, d));
            }
            else
            {
                TensorPrimitives.Add(noise.Slice(b * d, d), prompt, inputs.Slice(b * d, d));
            }

            totalWeight += batch[b].Weight;
        }

        MatrixKernels.Multiply(inputs, d, 1, parameters.Projection, _hidden, batch.Length, d, k);

        var modelVectors = parameters.ModelVectors;
        for (var m = 0; m < _models; m++)
        {
            var vector = modelVectors.Slice(m * k, k);
            _norms[m] = MathF.Max(TensorPrimitives.Norm(vector), NormEpsilon);
            TensorPrimitives.Divide(vector, _norms[m], Unit(m));
        }

        var classifier = parameters.Classifier;
        for (var b = 0; b < batch.Length; b++)
        {
            Difference(batch[b]);
            TensorPrimitives.Multiply(classifier, _difference, _scaled);
            _logits[b] = TensorPrimitives.Dot(_scaled, _hidden.AsSpan(b * k, k));
            if (batch[b].Loser == MatrixFactorizationExample.Pointwise)
            {
                _logits[b] += parameters.ModelBiases[batch[b].Winner];
            }
        }

        return totalWeight;
    }

    private Span<float> Unit(int model) => _unitVectors.AsSpan(model * _dimension, _dimension);

    /// <summary>Writes p̂_winner − p̂_loser, or p̂_model for a pointwise example, into the workspace.</summary>
    private void Difference(MatrixFactorizationExample example)
    {
        if (example.Loser == MatrixFactorizationExample.Pointwise)
        {
            Unit(example.Winner).CopyTo(_difference);
        }
        else
        {
            TensorPrimitives.Subtract(Unit(example.Winner), Unit(example.Loser), _difference);
        }
    }

    // BCE of logit s against label y. Label 1 (every battle) keeps RouteLLM's softplus(−s) and −σ(−s) exactly, so
    // that battles train bit for bit as before; softplus(s) − y·s and σ(s) − y are the same functions in exact arithmetic.
    private static float LogLoss(float logit, float label) => label == 1f ? Softplus(-logit) : Softplus(logit) - label * logit;

    private static float LossSlope(float logit, float label) => label == 1f ? -Sigmoid(-logit) : Sigmoid(logit) - label;

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float Softplus(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
}
