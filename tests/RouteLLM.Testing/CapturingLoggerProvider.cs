using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RouteLLM.Testing;

/// <summary>Keeps every log entry (level, formatted message and exception text) so that tests can read what was logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _entries = new();

    /// <summary>The entries so far, oldest first.</summary>
    public IReadOnlyList<(LogLevel Level, string Text)> Entries => [.. _entries];

    /// <summary>A logger of a category that writes here.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(new LoggerFactory([this]));

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(_entries);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class CapturingLogger(ConcurrentQueue<(LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
    }
}
