namespace RouteLLM.MLNet.Embeddings;

/// <summary>How all-MiniLM-L6-v2's weight matrices are computed; each gives its own model id.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "fp32 and int8 are the names of the precisions themselves.")]
public enum MiniLmPrecision
{
    /// <summary>The published fp32 model, as sentence-transformers runs it.</summary>
    Float32,

    /// <summary>
    /// Weight matrices quantized to int8 (per output column), activations quantized per tensor at run time: about
    /// 2.5 times as fast as fp32 on CPUs with int8 dot-product instructions, at a mean cosine to fp32 of 0.994
    /// (docs/BENCHMARKS.md).
    /// </summary>
    Int8,
}
