namespace RouteLLM.MLNet.IO;

/// <summary>
/// Writes files all at once: to a temporary file beside the destination, flushed, then moved into place, so that a
/// reader sees the old file or the new one, never a part, and a failure leaves any previous file untouched.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>. Creates the folder if needed.</summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="write">Writes the content to the stream it is given (which it must not dispose).</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        Commit(path, overwrite: true, temp =>
        {
            using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
            write(file);
            file.Flush(flushToDisk: true);
        });
    }

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/>, or keeps an existing file when <paramref name="overwrite"/> is false.</summary>
    /// <returns>Whether this call's bytes are now at <paramref name="path"/>.</returns>
    internal static bool Write(string path, ReadOnlySpan<byte> contents, bool overwrite = true)
    {
        var bytes = contents.ToArray();
        try
        {
            Commit(path, overwrite, temp =>
            {
                using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            });
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>Writes <paramref name="path"/> asynchronously, optionally with a given modification time.</summary>
    /// <returns>The number of bytes written.</returns>
    internal static async Task<long> WriteAsync(
        string path, Func<Stream, CancellationToken, Task> write, DateTime? lastWriteTimeUtc, CancellationToken cancellationToken)
    {
        var (full, temp) = Paths(path);
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

    private static void Commit(string path, bool overwrite, Action<string> writeTemp)
    {
        var (full, temp) = Paths(path);
        try
        {
            writeTemp(temp);
            File.Move(temp, full, overwrite);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static (string Full, string Temp) Paths(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            // Checked before writing so that the error names the path instead of failing in the final move.
            throw new ArgumentException($"{path} is a directory; name a file to write.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return (full, $"{full}.{Guid.NewGuid():N}.tmp");
    }
}
