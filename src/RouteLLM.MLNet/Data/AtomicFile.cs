namespace RouteLLM.MLNet.Data;

/// <summary>Writes a file through a temporary file beside it, moved into place only once complete.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> with <paramref name="write"/>; on any failure the temporary file is deleted
    /// and an existing file at <paramref name="path"/> is left as it was.
    /// </summary>
    /// <param name="path">The destination; its folder is created.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    /// <param name="lastWriteTimeUtc">Modification time to give the file, or null for now.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The number of bytes written.</returns>
    public static async Task<long> WriteAsync(string path, Func<Stream, CancellationToken, Task> write, DateTime? lastWriteTimeUtc, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            long length;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                length = file.Length;
            }

            if (lastWriteTimeUtc is { } time)
            {
                File.SetLastWriteTimeUtc(temp, time);
            }

            File.Move(temp, full, overwrite: true);
            return length;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
