namespace RouteLLM.MLNet.TorchSharp.Modeling;

/// <summary>A tensor's shape and row-major float values, held in managed memory.</summary>
/// <param name="Shape">Dimensions.</param>
/// <param name="Values">Row-major values; as many as the shape's product.</param>
internal sealed record TensorData(long[] Shape, float[] Values);
