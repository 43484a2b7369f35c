namespace RouteLLM.MLNet.Data;

/// <summary>One public file that <c>data pull</c> downloads.</summary>
/// <param name="RemotePath">Its path in RouteLLM's repository, relative to <see cref="DataPull.RouteLLMBaseUri"/>.</param>
/// <param name="LocalPath">Its path under the data folder, with '/' separators (see <see cref="DataLayout"/>).</param>
public sealed record RemoteDataFile(string RemotePath, string LocalPath);
