using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace RouteLLM.MLNet.TorchSharp.Tests.Modeling;

/// <summary>The MiniLM weights mapped onto our encoder compute what ONNX Runtime computes with the original graph.</summary>
public sealed class MiniLmWeightsTests(ITestOutputHelper output)
{
    // Lengths differ, so that the batch is padded and the attention mask matters.
    private static readonly string[] Prompts =
    [
        "Hi",
        "Write a Python function that returns the n-th Fibonacci number, and explain its complexity.",
        "Ünïcödé àccents and CJK 漢字 are normalised by the tokenizer; numbers like 3.14159 split into pieces.",
        "What is the capital of France?",
    ];

    [Fact]
    public void Our_mean_pooled_encoder_output_equals_onnx_runtimes_to_1e_4()
    {
        var model = MiniLmResources.ReadModel();
        var tokenizer = PromptTokens.Tokenizer(maxTokens: 128);
        var encoded = Prompts.Select(tokenizer.Encode).ToArray();
        var length = encoded.Max(e => e.Length);

        var expected = OnnxMeanPooled(model, encoded, length);

        using var network = new BertClassifier(BertEncoderShape.MiniLM, dropoutRate: 0);
        network.CopyFrom(MiniLmWeights.Read(model));
        network.eval();
        using var noGrad = no_grad();
        var (tokens, mask) = PromptTokens.Batch(encoded);
        using (tokens)
        using (mask)
        using (var pooled = network.Pool(tokens, mask))
        {
            var actual = pooled.data<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            output.WriteLine($"largest difference from ONNX Runtime: {worst:E2}");
            Assert.True(worst <= 1e-4, $"largest difference {worst}");
        }
    }

    [Fact]
    public void Every_encoder_parameter_and_no_head_parameter_comes_from_the_onnx_model()
    {
        var weights = MiniLmWeights.Read(MiniLmResources.ReadModel());
        using var network = new BertClassifier(BertEncoderShape.MiniLM, dropoutRate: 0);
        var encoder = network.named_parameters().Select(p => p.name).Where(n => !n.StartsWith("classifier.", StringComparison.Ordinal));

        Assert.Equal(encoder.Order(), weights.Keys.Order());
        // ONNX's MatMul operand is in × out; TorchSharp's Linear weight is out × in.
        Assert.Equal([1536L, 384L], weights["layers.5.intermediate.weight"].Shape);
    }

    private static float[] OnnxMeanPooled(byte[] model, long[][] encoded, int length)
    {
        var shape = new[] { encoded.Length, length };
        var ids = new DenseTensor<long>(shape);
        var mask = new DenseTensor<long>(shape);
        for (var row = 0; row < encoded.Length; row++)
        {
            for (var i = 0; i < encoded[row].Length; i++)
            {
                ids[row, i] = encoded[row][i];
                mask[row, i] = 1;
            }
        }

        using var session = new InferenceSession(model);
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", ids),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(shape)),
        ]);
        var hidden = results.First(r => r.Name == "last_hidden_state").AsTensor<float>();
        var width = hidden.Dimensions[2];
        var pooled = new float[encoded.Length * width];
        for (var row = 0; row < encoded.Length; row++)
        {
            for (var d = 0; d < width; d++)
            {
                var sum = 0.0;
                for (var i = 0; i < encoded[row].Length; i++)
                {
                    sum += hidden[row, i, d];
                }

                pooled[row * width + d] = (float)(sum / encoded[row].Length);
            }
        }

        return pooled;
    }
}
