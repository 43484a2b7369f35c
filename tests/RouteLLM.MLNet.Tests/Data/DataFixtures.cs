using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Data;

/// <summary>The fixture files under <c>Fixtures/Data</c>.</summary>
internal static class DataFixtures
{
    /// <summary>A data folder laid out as <c>routellm/</c>, <c>preferences/</c>, <c>gold/</c>, with small nasty files.</summary>
    public static string Tree => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Data", "tree");

    /// <summary>A fixture file.</summary>
    public static string File(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", "Data", .. parts]);
}

/// <summary>A test class with its own temporary folder, deleted after each test.</summary>
public abstract class TempFolderTest : IDisposable
{
    internal TemporaryDirectory Folder { get; } = new();

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
