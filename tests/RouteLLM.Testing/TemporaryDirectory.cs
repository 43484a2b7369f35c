using System.Text;

namespace RouteLLM.Testing;

/// <summary>A fresh directory under the system's temp folder, deleted with everything in it on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    /// <summary>Creates the directory.</summary>
    public TemporaryDirectory() => Directory.CreateDirectory(Path);

    /// <summary>The directory's full path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "routellm-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>The full path of <paramref name="name"/> in the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="relative"/>, creating its folders, and returns its path.</summary>
    public string Write(string relative, string text)
    {
        var path = File(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    /// <summary>Copies every file under <paramref name="source"/> to <paramref name="relative"/> and returns the copy's path.</summary>
    public string CopyTree(string source, string relative)
    {
        var root = File(relative);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(root, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            System.IO.File.Copy(file, destination);
        }

        return root;
    }

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
