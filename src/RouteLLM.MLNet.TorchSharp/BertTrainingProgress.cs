namespace RouteLLM.MLNet.TorchSharp;

/// <summary>Where a BERT router's training stands, reported after every optimiser step and every validation.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="MaxEpochs">The most epochs training will run.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="StepsPerEpoch">Steps in one epoch.</param>
/// <param name="TrainingLoss">Mean loss of this epoch's steps so far (class-weighted cross-entropy per battle).</param>
/// <param name="ValidationLoss">The validation loss when this report follows a validation; otherwise null.</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record BertTrainingProgress(
    int Epoch, int MaxEpochs, int Step, int StepsPerEpoch, float TrainingLoss, float? ValidationLoss, TimeSpan Elapsed);
