namespace RouteLLM.MLNet.IO;

/// <summary>Writes files all at once: to a temporary file beside the destination, then moved into place.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>, so that a reader never sees it half-written and
    /// a failure leaves any previous file untouched. Creates the folder if needed.
    /// </summary>
    /// <param name="path">Destination; replaced if it exists.</param>
    /// <param name="write">Writes the content to the stream it is given (which it must not dispose).</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
