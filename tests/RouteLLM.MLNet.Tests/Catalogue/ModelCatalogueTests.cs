using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Catalogue;

public sealed class ModelCatalogueTests
{
    private const string Header = "model,aliases,input_usd_per_mtok,output_usd_per_mtok,avg_output_chars,price_source\n";

    [Fact]
    public void Reads_catalogue_csv_and_resolves_every_alias_to_its_model()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("catalogue.csv");
        File.WriteAllText(path, Header +
            "gpt-4-1106-preview,gpt4_1106_preview,10,30,2049,\"OpenAI, Jan 2024\"\n" +
            "mixtral-8x7b-instruct-v0.1,mistralai/Mixtral-8x7B-Instruct-v0.1|Mixtral-8x7B-Instruct-v0.1,0.6,0.6,1465,x\n" +
            "gpt-3.5-turbo-1106,,1,2,796,x\n");

        var catalogue = ModelCatalogue.Read(path);

        Assert.Equal(["gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", "gpt-3.5-turbo-1106"], catalogue.Models.Select(m => m.Model));
        Assert.True(catalogue.Aliases.AreSame("mistralai/Mixtral-8x7B-Instruct-v0.1", "mixtral-8x7b-instruct-v0.1"));
        Assert.Same(catalogue.Models[1], catalogue.Find("Mixtral-8x7B-Instruct-v0.1"));
        Assert.Same(catalogue.Models[0], catalogue.Find("gpt4_1106_preview"));
        Assert.Null(catalogue.Find("claude-2"));
        var gpt4 = catalogue.Models[0];
        Assert.Equal((10, 30, 2049), (gpt4.InputUsdPerMTok, gpt4.OutputUsdPerMTok, gpt4.AvgOutputChars));
        Assert.Empty(catalogue.Models[2].Aliases);
    }

    [Theory]
    [InlineData("a,,,2,100\n", "input_usd_per_mtok", "no input_usd_per_mtok")]
    [InlineData("a,,NaN,2,100\n", "input_usd_per_mtok", "no input_usd_per_mtok")]
    [InlineData("a,,1,-2,100\n", "output_usd_per_mtok", "must be a finite number ≥ 0")]
    [InlineData("a,,1,2,lots\n", "avg_output_chars", "'lots' is not a number")]
    [InlineData(",,1,2,100\n", "model", "has no name")]
    public void A_bad_price_names_file_line_and_field(string row, string field, string problem)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("catalogue.csv");
        File.WriteAllText(path, "model,aliases,input_usd_per_mtok,output_usd_per_mtok,avg_output_chars\nok,,1,1,1\n" + row);

        var error = Assert.Throws<DataFormatException>(() => ModelCatalogue.Read(path));

        Assert.Equal((path, 3L, field), (error.File, error.Line, error.Field));
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("a,x,1,1,1\nb,X,1,1,1\n", 3, "'X' already names model 'a'")]
    [InlineData("a,b,1,1,1\nb,,1,1,1\n", 2, "'b' already names model 'b'")]
    [InlineData("a,,1,1,1\nb,a,1,1,1\n", 3, "'a' already names model 'a'")]
    [InlineData("a,,1,1,1\nA,,1,1,1\n", 3, "'A' already names model 'a'")]
    public void A_spelling_that_names_two_models_is_an_error(string rows, long line, string problem)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("catalogue.csv");
        File.WriteAllText(path, "model,aliases,input_usd_per_mtok,output_usd_per_mtok,avg_output_chars\n" + rows);

        var error = Assert.Throws<DataFormatException>(() => ModelCatalogue.Read(path));

        Assert.Equal(line, error.Line);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_model_listed_twice_is_an_error()
    {
        var entry = new CatalogueModel { Model = "a", InputUsdPerMTok = 1, OutputUsdPerMTok = 1, AvgOutputChars = 1 };

        var error = Assert.Throws<DataFormatException>(() => ModelCatalogue.Create([entry, entry], "RouteLLM:Models"));

        Assert.Equal(("RouteLLM:Models", "[1].Model"), (error.File, error.Field));
        Assert.Contains("listed twice", error.Message);
    }

    [Fact]
    public void Reads_the_models_section_of_routellm_json_with_configuration_names()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("routellm.json");
        File.WriteAllText(path, """
            { "RouteLLM": { "Models": [
              { "Model": "gpt-4-1106-preview", "InputUsdPerMTok": 10, "OutputUsdPerMTok": 30, "AvgOutputChars": 2049 },
              { "model": "mixtral-8x7b-instruct-v0.1", "aliases": [ "mistralai/Mixtral-8x7B-Instruct-v0.1" ],
                "inputUsdPerMTok": 0.6, "outputUsdPerMTok": 0.6, "avgOutputChars": 1465 } ] } }
            """);

        var catalogue = ModelCatalogue.Read(path);

        Assert.Equal(0.6, catalogue.Find("mistralai/Mixtral-8x7B-Instruct-v0.1")!.InputUsdPerMTok);
        Assert.Equal(2, catalogue.Models.Count);
    }

    [Fact]
    public void A_json_entry_without_a_price_names_the_entry_and_property()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("routellm.json");
        File.WriteAllText(path, """{ "Models": [ { "Model": "a", "InputUsdPerMTok": 1, "AvgOutputChars": 9 } ] }""");

        var error = Assert.Throws<DataFormatException>(() => ModelCatalogue.Read(path));

        Assert.Equal((path, "Models[0].OutputUsdPerMTok"), (error.File, error.Field));
    }

    [SkippableFact]
    public void Reads_the_shared_catalogue_and_its_mixtral_alias()
    {
        var catalogue = ModelCatalogue.Read(Path.Combine(SharedData.RequireDirectory(), "models", "catalogue.csv"));

        Assert.Equal(24, catalogue.Models.Count);
        Assert.Equal("mixtral-8x7b-instruct-v0.1", catalogue.Find("mistralai/Mixtral-8x7B-Instruct-v0.1")!.Model);
    }
}
