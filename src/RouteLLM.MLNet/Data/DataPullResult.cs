namespace RouteLLM.MLNet.Data;

/// <summary>What <c>data pull</c> did, file by file (paths relative to the data folder, with '/' separators).</summary>
/// <param name="Written">Files written (complete: each was written beside its destination, then moved into place).</param>
/// <param name="Unchanged">Files left as they were: already present (download) or identical in size and time (copy).</param>
/// <param name="BytesWritten">Total size of the files written.</param>
public sealed record DataPullResult(IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged, long BytesWritten);
