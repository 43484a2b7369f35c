using System.Text;

namespace RouteLLM.MLNet.Tests.Data;

/// <summary>The fixture files under <c>Fixtures/Data</c>, and scratch folders for files written by a test.</summary>
internal static class DataFixtures
{
    /// <summary>A data folder laid out as <c>routellm/</c>, <c>preferences/</c>, <c>gold/</c>, with small nasty files.</summary>
    public static string Tree => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Data", "tree");

    /// <summary>A fixture file.</summary>
    public static string File(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", "Data", .. parts]);
}

/// <summary>A temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("routellm-data-tests-").FullName;

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="relative"/> and returns its path.</summary>
    public string Write(string relative, string text)
    {
        var path = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    /// <summary>Copies every file under <paramref name="source"/> to <paramref name="relative"/> and returns the copy's path.</summary>
    public string CopyTree(string source, string relative)
    {
        var root = System.IO.Path.Combine(Path, relative);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(root, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            System.IO.File.Copy(file, destination);
        }

        return root;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>A test class with its own temporary folder, deleted after each test.</summary>
public abstract class TempFolderTest : IDisposable
{
    internal TempFolder Folder { get; } = new();

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
