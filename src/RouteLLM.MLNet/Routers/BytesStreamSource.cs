using Microsoft.ML.Data;

namespace RouteLLM.MLNet.Routers;

/// <summary>Lets ML.NET's binary loader read a table held in memory (a zip entry).</summary>
internal sealed class BytesStreamSource(byte[] content) : IMultiStreamSource
{
    public int Count => 1;

    public string? GetPathOrNull(int index) => null;

    public Stream Open(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
        return new MemoryStream(content, writable: false);
    }

    public TextReader OpenTextReader(int index) => new StreamReader(Open(index));
}
