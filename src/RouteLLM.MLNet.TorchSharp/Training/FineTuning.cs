using System.Diagnostics;
using RouteLLM.MLNet.TorchSharp.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RouteLLM.MLNet.TorchSharp.Training;

/// <summary>
/// Fine-tunes the parameters of a <see cref="BertClassifier"/> that are not frozen with AdamW on class-weighted soft targets, validating
/// after each epoch on held-out prompts and keeping the weights of the lowest validation loss.
/// </summary>
internal sealed class FineTuning
{
    private const double WarmupFraction = 0.1;
    private const double MaxGradientNorm = 1.0;
    private const int ValidationBatchSize = 64;

    // Batches are cut from pools of this many batches sorted by length, so that they need little padding yet vary.
    private const int BatchesPerPool = 8;

    private readonly BertClassifier _network;
    private readonly BertRouterTrainer.Options _options;
    private readonly Dictionary<int, long[]> _encoded;
    private readonly IReadOnlyList<LabelledPrompt> _training;
    private readonly IReadOnlyList<LabelledPrompt> _validation;
    private readonly float[] _classWeights;
    private readonly List<(string name, Parameter parameter)> _trained;

    /// <param name="network">The network to train, in place.</param>
    /// <param name="encoded">Token ids of every prompt in <paramref name="training"/> and <paramref name="validation"/>.</param>
    /// <param name="training">Prompts trained on.</param>
    /// <param name="validation">Prompts held out (not empty).</param>
    /// <param name="options">The trainer's options.</param>
    public FineTuning(BertClassifier network, Dictionary<int, long[]> encoded, IReadOnlyList<LabelledPrompt> training,
        IReadOnlyList<LabelledPrompt> validation, BertRouterTrainer.Options options)
    {
        _network = network;
        _encoded = encoded;
        _training = training;
        _validation = validation;
        _options = options;
        _classWeights = options.BalanceClasses ? TierLabels.BalancedClassWeights(training) : [1f, 1f, 1f];
        _trained = network.named_parameters().Where(p => p.parameter.requires_grad).ToList();
    }

    /// <summary>The class weights of the loss.</summary>
    public IReadOnlyList<float> ClassWeights => _classWeights;

    /// <summary>Trains until the epochs, the patience or the time budget run out; leaves the best weights in the network.</summary>
    public FineTuningResult Train()
    {
        var shuffler = new Random(_options.Seed);
        var stepsPerEpoch = (_training.Count + _options.BatchSize - 1) / _options.BatchSize;
        var totalSteps = stepsPerEpoch * _options.MaxEpochs;
        var warmupSteps = Math.Max(1, (int)(WarmupFraction * totalSteps));
        var decayed = _trained.Where(p => IsDecayed(p.name)).Select(p => p.parameter).ToList();
        var notDecayed = _trained.Where(p => !IsDecayed(p.name)).Select(p => p.parameter).ToList();
        using var optimizer = optim.AdamW(
        [
            new AdamW.ParamGroup(decayed, lr: _options.LearningRate, weight_decay: _options.WeightDecay),
            new AdamW.ParamGroup(notDecayed, lr: _options.LearningRate, weight_decay: 0),
        ], lr: _options.LearningRate);
        var schedule = optim.lr_scheduler.LambdaLR(optimizer, step =>
            step < warmupSteps ? (step + 1.0) / warmupSteps : Math.Max(0.0, (totalSteps - step) / (double)(totalSteps - warmupSteps)));

        var clock = Stopwatch.StartNew();
        var best = (Loss: double.PositiveInfinity, Epoch: 0, Weights: (Dictionary<string, Tensor>?)null);
        var (epoch, steps, sinceBest, outOfTime) = (0, 0, 0, false);
        while (epoch < _options.MaxEpochs && sinceBest < _options.EarlyStoppingPatience && !outOfTime)
        {
            epoch++;
            _network.train();
            var (step, lossSum) = (0, 0.0);
            foreach (var batch in Batches(shuffler))
            {
                lossSum += Step(batch, optimizer);
                schedule.step();
                steps++;
                step++;
                outOfTime = _options.TimeBudget is { } budget && clock.Elapsed >= budget;
                _options.Progress?.Report(new(epoch, _options.MaxEpochs, step, stepsPerEpoch, (float)(lossSum / step), null, clock.Elapsed));
                if (outOfTime)
                {
                    break;
                }
            }

            var validationLoss = ValidationLoss();
            _options.Progress?.Report(new(epoch, _options.MaxEpochs, step, stepsPerEpoch, (float)(lossSum / step), (float)validationLoss, clock.Elapsed));
            if (validationLoss < best.Loss)
            {
                Release(best.Weights);
                best = (validationLoss, epoch, Snapshot());
                sinceBest = 0;
            }
            else
            {
                sinceBest++;
            }
        }

        if (best.Weights is { } weights)
        {
            Restore(weights);
            Release(weights);
        }

        return new FineTuningResult(epoch, best.Epoch, steps, best.Loss, clock.Elapsed, outOfTime);
    }

    /// <summary>Class-weighted cross-entropy per battle over the validation prompts, with dropout off.</summary>
    public double ValidationLoss()
    {
        _network.eval();
        using var noGrad = no_grad();
        double loss = 0, weight = 0;
        foreach (var batch in _validation.OrderBy(p => _encoded[p.Prompt].Length).Chunk(ValidationBatchSize))
        {
            using var scope = NewDisposeScope();
            var (sum, total) = Loss(batch);
            loss += sum.item<float>();
            weight += total.item<float>();
        }

        return weight > 0 ? loss / weight : double.NaN;
    }

    private float Step(LabelledPrompt[] batch, optim.Optimizer optimizer)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var (sum, total) = Loss(batch);
        var loss = sum / total;
        loss.backward();
        nn.utils.clip_grad_norm_(_trained.Select(p => p.parameter), MaxGradientNorm);
        optimizer.step();
        return loss.item<float>();
    }

    // Returns Σ target × −log p and Σ target, where each target is a class's summed battle weight times its class weight.
    private (Tensor Sum, Tensor Total) Loss(LabelledPrompt[] batch)
    {
        var (tokens, mask) = PromptTokens.Batch(batch.Select(p => _encoded[p.Prompt]).ToArray());
        var targets = tensor(batch.SelectMany(p => p.Counts.Select((count, c) => count * _classWeights[c])).ToArray(), [batch.Length, 3]);
        var logProbabilities = nn.functional.log_softmax(_network.forward(tokens, mask), 1);
        return (-(targets * logProbabilities).sum(), targets.sum());
    }

    private LabelledPrompt[][] Batches(Random shuffler)
    {
        var order = _training.ToArray();
        shuffler.Shuffle(order);
        var batches = order.Chunk(_options.BatchSize * BatchesPerPool)
            .SelectMany(pool => pool.OrderBy(p => _encoded[p.Prompt].Length).Chunk(_options.BatchSize))
            .ToArray();
        shuffler.Shuffle(batches);
        return batches;
    }

    // Embeddings are left out as well as biases and LayerNorm: rows of tokens that never occur then stay MiniLM's
    // exactly, and their stored differences are zeros.
    private static bool IsDecayed(string name) =>
        name.EndsWith(".weight", StringComparison.Ordinal) && !name.Contains("norm", StringComparison.Ordinal) && !name.Contains("embeddings", StringComparison.Ordinal);

    private Dictionary<string, Tensor> Snapshot()
    {
        using var noGrad = no_grad();
        return _trained.ToDictionary(p => p.name, p => p.parameter.detach().clone());
    }

    private void Restore(Dictionary<string, Tensor> weights)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in _trained)
        {
            parameter.copy_(weights[name]);
        }
    }

    private static void Release(Dictionary<string, Tensor>? weights)
    {
        foreach (var tensor in weights?.Values.AsEnumerable() ?? [])
        {
            tensor.Dispose();
        }
    }
}

/// <summary>How a fine-tuning run went.</summary>
internal sealed record FineTuningResult(int Epochs, int BestEpoch, int Steps, double BestValidationLoss, TimeSpan Elapsed, bool StoppedByTimeBudget);
