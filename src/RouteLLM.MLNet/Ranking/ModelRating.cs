namespace RouteLLM.MLNet.Ranking;

/// <summary>A model's rating on the Elo scale (see <see cref="BradleyTerry"/>).</summary>
/// <param name="Model">The model's name, as the battles spell it.</param>
/// <param name="Rating">Its Elo rating: <c>400 · coefficient + 1000</c>, higher is stronger.</param>
public sealed record ModelRating(string Model, double Rating);
