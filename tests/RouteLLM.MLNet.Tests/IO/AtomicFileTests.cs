using RouteLLM.MLNet.IO;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.IO;

public sealed class AtomicFileTests
{
    [Fact]
    public void Writing_onto_a_directory_is_an_error_naming_it_and_leaves_no_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        var target = Path.Combine(directory.Path, "out");
        Directory.CreateDirectory(target);

        var error = Assert.Throws<ArgumentException>(() => AtomicFile.Write(target, stream => stream.WriteByte(1)));

        Assert.Contains($"{target} is a directory", error.Message);
        Assert.Equal([target], Directory.EnumerateFileSystemEntries(directory.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }
}
