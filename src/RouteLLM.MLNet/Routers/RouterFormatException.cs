namespace RouteLLM.MLNet.Routers;

/// <summary>A router zip that cannot be used: truncated, corrupt, of an unknown kind or version, or made for another embedder.</summary>
public sealed class RouterFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file and entry.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public RouterFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
