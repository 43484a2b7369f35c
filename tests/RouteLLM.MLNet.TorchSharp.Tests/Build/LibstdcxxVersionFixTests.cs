using System.Reflection;
using RouteLLM.MLNet.TorchSharp.Build;
using RouteLLM.Testing;
using TorchSharp;

namespace RouteLLM.MLNet.TorchSharp.Tests.Build;

/// <summary>
/// The build's native fix, on the real libLibTorchSharp.so as the TorchSharp package ships it: which libstdc++ versions
/// it marks weak for a given system, that it refuses versions a relocation needs, and what it did to this test's copy.
/// </summary>
public sealed class LibstdcxxVersionFixTests
{
    private const string Library = "libLibTorchSharp.so";

    private static string PackagedLibrary()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var path = Path.Combine(packages, "torchsharp", version, "runtimes", "linux-x64", "native", Library);
        Skip.IfNot(File.Exists(path), $"TorchSharp's package is not in the NuGet cache at {path}.");
        return path;
    }

    private static List<VersionRequirement> Requirements(string path) =>
        ElfVersions.ReadRequirements(File.ReadAllBytes(path), LibstdcxxVersionFix.Libstdcxx);

    [SkippableFact]
    public void The_packaged_library_asks_for_GLIBCXX_3_4_32_which_no_relocation_binds()
    {
        var image = File.ReadAllBytes(PackagedLibrary());
        var required = ElfVersions.ReadRequirements(image, LibstdcxxVersionFix.Libstdcxx);
        var newest = required.Single(r => r.Name == "GLIBCXX_3.4.32");

        Assert.False(newest.IsWeak);
        Assert.Empty(ElfVersions.SymbolsRelocatedWithVersion(image, newest.Index));
        var older = required.Single(r => r.Name == "GLIBCXX_3.4.30");
        Assert.NotEmpty(ElfVersions.SymbolsRelocatedWithVersion(image, older.Index));
    }

    [SkippableFact]
    public void Nothing_is_weakened_when_the_system_libstdcxx_has_every_version()
    {
        var source = PackagedLibrary();
        var provided = Requirements(source).Select(r => r.Name).ToHashSet();
        using var directory = new TemporaryDirectory();
        var copy = CopyTo(directory, source);
        var written = File.GetLastWriteTimeUtc(copy);
        Assert.Empty(LibstdcxxVersionFix.Apply(copy, provided));
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(copy));
        Assert.Equal(written, File.GetLastWriteTimeUtc(copy));
    }

    [SkippableFact]
    public void Only_the_missing_version_is_marked_weak_and_a_second_pass_changes_nothing()
    {
        var source = PackagedLibrary();
        var provided = Requirements(source).Select(r => r.Name).Where(n => n != "GLIBCXX_3.4.32").ToHashSet();
        using var directory = new TemporaryDirectory();
        var copy = CopyTo(directory, source);
        Assert.Equal(["GLIBCXX_3.4.32"], LibstdcxxVersionFix.Apply(copy, provided));
        var (before, after) = (File.ReadAllBytes(source), File.ReadAllBytes(copy));
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        var flags = Requirements(source).Single(r => r.Name == "GLIBCXX_3.4.32").FlagsOffset;
        Assert.Equal([flags], changed);
        Assert.All(Requirements(copy), r => Assert.Equal(r.Name == "GLIBCXX_3.4.32", r.IsWeak));
        Assert.Empty(LibstdcxxVersionFix.Apply(copy, provided));
    }

    [SkippableFact]
    public void A_missing_version_that_a_relocation_binds_is_refused_by_name()
    {
        var image = File.ReadAllBytes(PackagedLibrary());
        var provided = ElfVersions.ReadRequirements(image, LibstdcxxVersionFix.Libstdcxx)
            .Select(r => r.Name).Where(n => n != "GLIBCXX_3.4.30").ToHashSet();

        var error = Assert.Throws<InvalidDataException>(() => LibstdcxxVersionFix.Plan(image, provided));
        Assert.Contains("@GLIBCXX_3.4.30", error.Message);
    }

    [SkippableFact]
    public void This_test_hosts_copy_is_weakened_exactly_where_the_system_libstdcxx_falls_short()
    {
        var system = LibstdcxxVersionFix.FindSystemLibstdcxx(LibstdcxxVersionFix.DefaultSearchDirectories);
        Skip.If(system is null, "No system libstdc++.so.6 in the usual directories.");
        var provided = ElfVersions.ReadDefinedVersions(File.ReadAllBytes(system!));
        var copy = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", Library);

        Assert.All(Requirements(copy), r => Assert.Equal(!provided.Contains(r.Name), r.IsWeak));
        Assert.Equal(3f, torch.ones(3).sum().item<float>());
    }

    private static string CopyTo(TemporaryDirectory directory, string source)
    {
        var copy = directory.File(Library);
        File.Copy(source, copy);
        return copy;
    }
}
