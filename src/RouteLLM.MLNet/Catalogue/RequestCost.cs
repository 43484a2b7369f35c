namespace RouteLLM.MLNet.Catalogue;

/// <summary>
/// The estimated USD cost of one request: prompt tokens × input price + answer tokens × output price. Without the
/// answer's token count, the answer is the model's typical length, <see cref="CatalogueModel.AvgOutputChars"/> ÷
/// <see cref="CharsPerToken"/>.
/// </summary>
public static class RequestCost
{
    /// <summary>Characters per token assumed when turning a typical answer length into tokens (English text, these models).</summary>
    public const double CharsPerToken = 4;

    /// <summary>The estimated cost of one request to <paramref name="model"/>, in USD.</summary>
    /// <param name="model">The model and its prices.</param>
    /// <param name="promptTokens">The prompt's tokens.</param>
    /// <param name="answerTokens">The answer's tokens when known; null for the model's typical answer.</param>
    public static double Usd(CatalogueModel model, int promptTokens, double? answerTokens = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        var answer = answerTokens ?? model.AvgOutputChars / CharsPerToken;
        ArgumentOutOfRangeException.ThrowIfNegative(answer, nameof(answerTokens));
        return ((promptTokens * model.InputUsdPerMTok) + (answer * model.OutputUsdPerMTok)) / 1e6;
    }

    /// <summary>The estimated cost of <paramref name="prompt"/> on each of <paramref name="models"/>, in USD.</summary>
    /// <param name="catalogue">The prices.</param>
    /// <param name="models">The models, in any spelling the catalogue knows.</param>
    /// <param name="prompt">The prompt, counted by <paramref name="tokens"/>.</param>
    /// <param name="tokens">The token counter.</param>
    /// <param name="destination">One slot per model.</param>
    /// <exception cref="ArgumentException">A model is not in the catalogue.</exception>
    public static void Usd(ModelCatalogue catalogue, IReadOnlyList<string> models, string prompt, TokenCounter tokens, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(tokens);
        if (destination.Length != models.Count)
        {
            throw new ArgumentException($"Destination has {destination.Length} slots for {models.Count} models.", nameof(destination));
        }

        var promptTokens = tokens.Count(prompt);
        for (var i = 0; i < models.Count; i++)
        {
            var entry = catalogue.Find(models[i]) ?? throw new ArgumentException($"Model '{models[i]}' is not in the catalogue.", nameof(models));
            destination[i] = Usd(entry, promptTokens, null);
        }
    }
}
