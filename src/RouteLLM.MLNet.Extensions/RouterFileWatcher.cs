namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// Reports changes to a set of files, one <see cref="FileSystemWatcher"/> per directory (inotify instances are a
/// scarce per-user resource on Linux). A file replaced by a rename, as <c>RouterZip.Save</c> does, is reported under
/// its own name.
/// </summary>
internal sealed class RouterFileWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly HashSet<string> _files;
    private readonly Action<string> _changed;

    /// <param name="files">Full paths to watch.</param>
    /// <param name="changed">Called with the full path of a changed file, on a thread-pool thread.</param>
    /// <param name="error">Called when a directory's watcher lost events; every file in it should be treated as changed.</param>
    public RouterFileWatcher(IReadOnlyCollection<string> files, Action<string> changed, Action<string, Exception> error)
    {
        _files = new HashSet<string>(files, StringComparer.Ordinal);
        _changed = changed;
        foreach (var directory in files.Select(f => System.IO.Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal))
        {
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, e) => Report(e.FullPath);
            watcher.Created += (_, e) => Report(e.FullPath);
            watcher.Renamed += (_, e) => Report(e.FullPath);
            watcher.Error += (_, e) =>
            {
                foreach (var file in _files.Where(f => System.IO.Path.GetDirectoryName(f) == directory))
                {
                    error(file, e.GetException());
                }
            };
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }

    private void Report(string fullPath)
    {
        if (_files.Contains(fullPath))
        {
            _changed(fullPath);
        }
    }
}
