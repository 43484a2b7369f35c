using System.Text;

[assembly: RouteLLM.MLNet.Routers.RouterKind("random", typeof(RouteLLM.MLNet.Routers.Baseline.RandomRouterModel.Loader))]

namespace RouteLLM.MLNet.Routers.Baseline;

/// <summary>
/// RouteLLM's random router: P(strong wins) is uniform on [0, 1), drawn from a hash of the seed and the prompt, so
/// that scores are reproducible across runs, threads and machines.
/// </summary>
public sealed partial class RandomRouterModel : RouterModel
{
    private const string ParametersEntry = "random/parameters.json";

    internal RandomRouterModel(RouterManifest manifest, int seed)
        : base(manifest, trainingPrompts: null) => Seed = seed;

    /// <summary>The seed the draws are derived from.</summary>
    public int Seed { get; }

    /// <inheritdoc/>
    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        for (var i = 0; i < prompts.Count; i++)
        {
            destination[i] = Draw(Seed, prompts[i]);
        }
    }

    /// <inheritdoc/>
    protected override RouterModel WithModelsCore(RouterManifest manifest) => new RandomRouterModel(manifest, Seed);

    /// <inheritdoc/>
    protected internal override void SaveContents(RouterZipWriter writer) => writer.WriteJson(ParametersEntry, new Parameters(Seed));

    // FNV-1a over the UTF-8 bytes, then SplitMix64's finaliser: stable across runtimes, unlike string.GetHashCode.
    internal static float Draw(int seed, string prompt)
    {
        var hash = 14695981039346656037UL ^ (ulong)(uint)seed;
        foreach (var b in Encoding.UTF8.GetBytes(prompt))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash += 0x9E3779B97F4A7C15UL;
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return (hash >> 40) / (float)(1 << 24);
    }

    private sealed record Parameters(int Seed);

    /// <summary>Reads random routers from their zip.</summary>
    public sealed class Loader : IRouterModelLoader
    {
        /// <inheritdoc/>
        public RouterModel Load(RouterZipReader reader) =>
            new RandomRouterModel(reader.Manifest, reader.ReadJson<Parameters>(ParametersEntry).Seed);
    }
}
