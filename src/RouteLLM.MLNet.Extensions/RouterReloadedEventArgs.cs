namespace RouteLLM.MLNet.Extensions;

/// <summary>The outcome of reloading one router of a <see cref="RouterPool"/>.</summary>
public sealed class RouterReloadedEventArgs : EventArgs
{
    internal RouterReloadedEventArgs(string name, PooledRouter? router, Exception? error)
    {
        Name = name;
        Router = router;
        Error = error;
    }

    /// <summary>The router's name.</summary>
    public string Name { get; }

    /// <summary>The version now serving, or null when the reload failed.</summary>
    public PooledRouter? Router { get; }

    /// <summary>Why the reload failed (the previous version keeps serving), or null when it succeeded.</summary>
    public Exception? Error { get; }
}
