using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers;

public sealed class RouterZipTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly string _path;

    public RouterZipTests()
    {
        _path = _directory.File("random.zip");
        var ml = new MLContext(seed: 1);
        var battles = ml.Routing().LoadBattles([new Battle("q", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", BattleOutcome.Tie)]);
        RouterZip.Save(ml.Routing().Trainers.Random().Fit(battles).Model, _path);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Truncated_zip_is_a_clear_error()
    {
        var bytes = File.ReadAllBytes(_path);
        File.WriteAllBytes(_path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<RouterFormatException>(() => RouterZip.Load(_path));
        Assert.Contains(_path, e.Message);
        Assert.Contains("truncated or corrupt", e.Message);
    }

    [Fact]
    public void Edited_entry_fails_its_digest()
    {
        using (var archive = System.IO.Compression.ZipFile.Open(_path, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = archive.GetEntry("random/parameters.json")!;
            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("random/parameters.json").Open());
            writer.Write("{\"seed\": 99}");
        }

        var e = Assert.Throws<RouterFormatException>(() => RouterZip.Load(_path));
        Assert.Contains("does not match the digest", e.Message);
    }

    [Fact]
    public void Unknown_assembly_names_the_missing_assembly()
    {
        using (var archive = System.IO.Compression.ZipFile.Open(_path, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = archive.GetEntry(RouterZip.ManifestEntry)!;
            string json;
            using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry(RouterZip.ManifestEntry).Open());
            writer.Write(json.Replace("\"RouteLLM.MLNet\"", "\"RouteLLM.MLNet.Missing\""));
        }

        var e = Assert.Throws<RouterFormatException>(() => RouterZip.Load(_path));
        Assert.Contains("RouteLLM.MLNet.Missing", e.Message);
    }

    [Fact]
    public void Save_replaces_atomically_and_leaves_no_temp_files()
    {
        var before = Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + "*");
        Assert.Equal([_path], before);
        RouterZip.Save(RouterZip.Load(_path), _path);
        Assert.Equal([_path], Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + "*"));
    }
}
