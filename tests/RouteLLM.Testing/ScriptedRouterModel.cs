using System.Globalization;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;

[assembly: RouterKind(RouteLLM.Testing.ScriptedRouterModel.KindName, typeof(RouteLLM.Testing.ScriptedRouterModel.Loader))]

namespace RouteLLM.Testing;

/// <summary>
/// A router whose scores tests choose: a prompt in <see cref="Scores"/> scores its entry there, a prompt that starts with
/// <c>p=0.73</c> scores 0.73, any other prompt scores <see cref="DefaultScore"/>. Saved and loaded like every router
/// kind, so that serving and evaluation code can be tested on exact scores and on a swap between two versions of one zip.
/// </summary>
public sealed class ScriptedRouterModel : RouterModel
{
    /// <summary>The manifest kind.</summary>
    public const string KindName = "scripted";

    /// <summary>The strong model of the pair this router scores.</summary>
    public const string StrongModel = "strong-model";

    /// <summary>The weak model of the pair this router scores.</summary>
    public const string WeakModel = "weak-model";

    private const string ParametersEntry = "scripted/parameters.json";

    private readonly SortedDictionary<string, float> _scores;

    private ScriptedRouterModel(RouterManifest manifest, float defaultScore, IDictionary<string, float> scores)
        : base(manifest, trainingPrompts: null)
    {
        DefaultScore = defaultScore;
        _scores = new SortedDictionary<string, float>(scores, StringComparer.Ordinal);
    }

    /// <summary>The score of a prompt that does not start with <c>p=</c>.</summary>
    public float DefaultScore { get; }

    /// <summary>The scores of whole prompts, which win over a <c>p=</c> prefix.</summary>
    public IReadOnlyDictionary<string, float> Scores => _scores;

    /// <summary>Creates a scripted router.</summary>
    /// <param name="defaultScore">The score of prompts without a <c>p=</c> prefix.</param>
    /// <param name="embedder">When set, the router declares that it reads this embedding (the values are checked, not used).</param>
    /// <param name="scores">The scores of whole prompts; none when null.</param>
    /// <param name="strongModel">The strong model of the pair it scores.</param>
    /// <param name="weakModel">The weak model of the pair it scores.</param>
    public static ScriptedRouterModel Create(
        float defaultScore, EmbedderInfo? embedder = null, IReadOnlyDictionary<string, float>? scores = null, string strongModel = StrongModel, string weakModel = WeakModel) =>
        new(new RouterManifest
        {
            Kind = KindName,
            Assembly = typeof(ScriptedRouterModel).Assembly.GetName().Name!,
            Embedder = embedder,
            StrongModel = strongModel,
            WeakModel = weakModel,
            Models = [strongModel, weakModel],
        }, defaultScore, scores?.ToDictionary() ?? []);

    /// <inheritdoc/>
    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        for (var i = 0; i < prompts.Count; i++)
        {
            var prompt = prompts[i];
            if (_scores.TryGetValue(prompt, out var scripted))
            {
                destination[i] = scripted;
                continue;
            }

            var end = prompt.IndexOf(' ');
            destination[i] = prompt.StartsWith("p=", StringComparison.Ordinal)
                && float.TryParse(prompt.AsSpan(2, (end < 0 ? prompt.Length : end) - 2), NumberStyles.Float, CultureInfo.InvariantCulture, out var score)
                ? score
                : DefaultScore;
        }
    }

    /// <inheritdoc/>
    protected override RouterModel WithModelsCore(RouterManifest manifest) => new ScriptedRouterModel(manifest, DefaultScore, _scores);

    /// <inheritdoc/>
    protected override void SaveContents(RouterZipWriter writer) => writer.WriteJson(ParametersEntry, new Parameters(DefaultScore, _scores));

    private sealed record Parameters(float DefaultScore, IDictionary<string, float> Scores);

    /// <summary>Reads scripted routers from their zip.</summary>
    public sealed class Loader : IRouterModelLoader
    {
        /// <inheritdoc/>
        public RouterModel Load(RouterZipReader reader)
        {
            var parameters = reader.ReadJson<Parameters>(ParametersEntry);
            return new ScriptedRouterModel(reader.Manifest, parameters.DefaultScore, parameters.Scores);
        }
    }
}
