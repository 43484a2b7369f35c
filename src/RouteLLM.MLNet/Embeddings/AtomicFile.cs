namespace RouteLLM.MLNet.Embeddings;

/// <summary>Writes whole files so that readers see the old file or the new one, never a part.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it into place.</summary>
    /// <param name="path">Destination; replaced if it exists and <paramref name="overwrite"/> is set.</param>
    /// <param name="contents">The bytes.</param>
    /// <param name="overwrite">Whether to replace an existing file; when false and one exists, it is kept.</param>
    /// <returns>Whether this call's bytes are now at <paramref name="path"/>.</returns>
    public static bool Write(string path, ReadOnlySpan<byte> contents, bool overwrite = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(contents);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
