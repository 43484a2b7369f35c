using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Routers;

/// <summary>
/// Base of every router trainer: reads battle rows into a <see cref="TrainingSet"/>, trains, and wraps the router
/// in a <see cref="RouterTransformer{TModel}"/>, as ML.NET's trainers wrap their model parameters.
/// </summary>
/// <typeparam name="TModel">The router this trainer produces.</typeparam>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
public abstract class RouterTrainerBase<TModel, TOptions> : IEstimator<RouterTransformer<TModel>>, ITrainingSetTrainer<TModel>
    where TModel : RouterModel
    where TOptions : RouterTrainerOptions
{
    /// <summary>Initialises the trainer.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">The trainer's options.</param>
    protected RouterTrainerBase(MLContext context, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        Context = context;
        TrainerOptions = options;
    }

    /// <summary>The ML.NET context.</summary>
    protected MLContext Context { get; }

    /// <summary>The trainer's options.</summary>
    protected TOptions TrainerOptions { get; }

    /// <summary>The router kind written to the manifest.</summary>
    protected abstract string Kind { get; }

    /// <summary>Whether the router reads prompt embeddings (otherwise it reads text, or nothing).</summary>
    protected abstract bool ReadsEmbeddings { get; }

    /// <summary>Trains a router on battle rows.</summary>
    /// <param name="input">Rows with the columns the options name.</param>
    public RouterTransformer<TModel> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // A router that reads text still keeps its training prompts' embeddings when it is given them (Options.Embedder).
        var trainingSet = TrainingSet.Read(input, TrainerOptions, ReadsEmbeddings || TrainerOptions.Embedder is not null);
        var model = Train(trainingSet);
        return new RouterTransformer<TModel>(Context, model, TrainerOptions.PromptColumnName, TrainerOptions.EmbeddingColumnName);
    }

    /// <summary>Trains a router on battles already read.</summary>
    /// <param name="trainingSet">The battles.</param>
    public TModel Train(TrainingSet trainingSet)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        return TrainCore(trainingSet);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        RouterTransformer.Mapping(Context, ReadsEmbeddings ? TrainerOptions.Embedder ?? MissingEmbedder() : null,
            TrainerOptions.PromptColumnName, TrainerOptions.EmbeddingColumnName, model: null).GetOutputSchema(inputSchema);

    /// <summary>Trains the router; <paramref name="trainingSet"/> is not null.</summary>
    /// <param name="trainingSet">The battles.</param>
    protected abstract TModel TrainCore(TrainingSet trainingSet);

    /// <summary>
    /// The manifest of a router trained on <paramref name="trainingSet"/>: kind, assembly, embedder, model pair
    /// (checked to be among the trained models when <paramref name="requirePairInData"/>), digest, metrics and options.
    /// </summary>
    /// <param name="trainingSet">The battles trained on.</param>
    /// <param name="metrics">Metrics measured while training.</param>
    /// <param name="requirePairInData">Whether the strong and weak models must occur in the battles.</param>
    protected RouterManifest CreateManifest(TrainingSet trainingSet, IReadOnlyDictionary<string, double> metrics, bool requirePairInData = true)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        var strong = ModelAliases.Default.Canonical(TrainerOptions.StrongModel);
        var weak = ModelAliases.Default.Canonical(TrainerOptions.WeakModel);
        if (strong == weak)
        {
            throw new ArgumentException($"StrongModel and WeakModel are the same model ('{strong}').");
        }

        if (requirePairInData)
        {
            foreach (var model in new[] { strong, weak })
            {
                if (trainingSet.IndexOfModel(model) < 0)
                {
                    throw new ArgumentException($"Model '{model}' does not occur in the training battles, so the router cannot score it.");
                }
            }
        }

        return new RouterManifest
        {
            Kind = Kind,
            Assembly = typeof(TModel).Assembly.GetName().Name!,
            Embedder = ReadsEmbeddings ? TrainerOptions.Embedder : null,
            StrongModel = strong,
            WeakModel = weak,
            Models = requirePairInData ? trainingSet.Models : [.. trainingSet.Models.Union([strong, weak]).Order(StringComparer.Ordinal)],
            TrainingDataDigest = trainingSet.Digest,
            TrainingMetrics = metrics,
            TrainingOptions = DescribeOptions(),
        };
    }

    /// <summary>
    /// The training prompts' embeddings to keep in the router (so that evaluation can drop benchmark prompts it has
    /// seen): those of <see cref="RouterTrainerOptions.Embedder"/>, when it is set and the training set has them.
    /// </summary>
    /// <param name="trainingSet">The battles trained on.</param>
    protected PromptEmbeddings? TrainingPromptsOf(TrainingSet trainingSet)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        return TrainerOptions.Embedder is { } embedder && trainingSet.Embeddings.Length > 0
            ? new PromptEmbeddings(embedder, trainingSet.Embeddings.ToArray())
            : null;
    }

    // Callbacks (a progress reporter) are left out: they do not change the router, and the manifest must not depend on
    // who watched the training.
    private SortedDictionary<string, string> DescribeOptions()
    {
        var described = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in TrainerOptions.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!IsCallback(property.PropertyType))
            {
                described[property.Name] = Describe(property.GetValue(TrainerOptions));
            }
        }

        return described;
    }

    private static bool IsCallback(Type type) =>
        typeof(Delegate).IsAssignableFrom(type)
        || type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IProgress<>);

    private static string Describe(object? value) => value switch
    {
        null => "",
        string s => s,
        EmbedderInfo e => $"{e.Id} ({e.Dimension})",
        RouterModel m => $"{m.Manifest.Kind} router trained on data {m.Manifest.TrainingDataDigest}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Describe)),
        _ => value.ToString() ?? "",
    };

    private EmbedderInfo MissingEmbedder() => throw new ArgumentException(
        $"{GetType().Name}: Options.Embedder must name the embedder that produced column '{TrainerOptions.EmbeddingColumnName}'.");
}
