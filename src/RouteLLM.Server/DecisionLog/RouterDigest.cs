using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.Server.DecisionLog;

/// <summary>
/// A short id of what a router zip holds, for the decision log: unlike the pool's version number, which starts at 1
/// again when the server restarts, it tells a retrained router from the one before it across restarts, and is the same
/// for the same zip.
/// </summary>
internal static class RouterDigest
{
    private const int Length = 12;

    private static readonly ConditionalWeakTable<RouterManifest, string> Digests = [];

    /// <summary>The first 12 hex digits of the SHA-256 of the manifest's kind, training data and options, and entry digests.</summary>
    public static string Of(RouterManifest manifest) => Digests.GetValue(manifest, Compute);

    // The entries' digests cover the trained parameters; the kind, data digest and options cover what they leave out.
    private static string Compute(RouterManifest manifest)
    {
        var text = new StringBuilder().Append(manifest.Kind).Append('\n').Append(manifest.TrainingDataDigest).Append('\n');
        foreach (var (name, value) in manifest.TrainingOptions.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        foreach (var (name, digest) in manifest.EntryDigests.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(':').Append(digest).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..Length];
    }
}
