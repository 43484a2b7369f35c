using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server.Tests;

public sealed class RoutingModelNameTests
{
    [Theory]
    [InlineData("router-mf-0.11593", "mf", 0.11593, false)]
    [InlineData("router-mf-1", "mf", 1.0, false)]
    [InlineData("router-mf-0", "mf", 0.0, false)]
    [InlineData("router-causal-llm-0.25", "causal-llm", 0.25, false)]
    [InlineData("router-mf@0.5", "mf", 0.5, true)]
    [InlineData("router-sw-v2@1e-1", "sw-v2", 0.1, true)]
    [InlineData("router-mf-1e-4", "mf", 0.0001, false)]
    [InlineData("router-mf-2.5E-1", "mf", 0.25, false)]
    [InlineData("router-mf-+.5", "mf", 0.5, false)]
    [InlineData("router-mf-1e-400", "mf", 0.0, false)]
    [InlineData("router-mf-2-0.5", "mf-2", 0.5, false)]
    public void Reads_RouteLLMs_names_and_strong_shares(string model, string router, double value, bool share)
    {
        Assert.True(RoutingModelName.TryParse(model, out var name, out var threshold, out var error));

        Assert.Null(error);
        Assert.Equal(router, name);
        Assert.Equal(share ? RoutingThreshold.ForStrongShare(value) : RoutingThreshold.Fixed(value), threshold);
        Assert.True(RoutingModelName.TryParse(RoutingModelName.Format(name, threshold), out var again, out var same, out _));
        Assert.Equal((name, threshold), (again, same));
    }

    [Theory]
    [InlineData("router-mf--0.5", "the threshold -0.5 is outside [0, 1]")]
    [InlineData("router-mf-1e-4x", "'4x' after its last '-' is not a decimal number")]
    [InlineData("router-mf@-2", "the strong share -2 is outside [0, 1]")]
    [InlineData("router--0.5", "names no router before its threshold")]
    public void Says_exactly_what_is_wrong_with_a_name(string model, string expected)
    {
        Assert.False(RoutingModelName.TryParse(model, out _, out _, out var error));

        Assert.Contains(expected, error!.Message);
    }

    [Theory]
    [InlineData("gpt-4", 404, "model_not_found")]
    [InlineData("router-", 400, "invalid_model_name")]
    [InlineData("router-mf", 400, "invalid_model_name")]
    [InlineData("router-mf-", 400, "invalid_model_name")]
    [InlineData("router--0.5", 400, "invalid_model_name")]
    [InlineData("router-mf@", 400, "invalid_model_name")]
    [InlineData("router-mf-0,5", 400, "invalid_model_name")]
    [InlineData("router-mf-Infinity", 400, "invalid_model_name")]
    [InlineData("router-mf--0.5", 400, "invalid_threshold")]
    [InlineData("router-mf-1e400", 400, "invalid_threshold")]
    [InlineData("router-mf-1.0001", 400, "invalid_threshold")]
    [InlineData("router-mf@2", 400, "invalid_threshold")]
    public void Rejects_malformed_names_with_OpenAI_errors(string model, int status, string code)
    {
        Assert.False(RoutingModelName.TryParse(model, out _, out _, out var error));

        Assert.Equal(status, error!.Status);
        Assert.Equal(code, error.Code);
        Assert.Equal("model", error.Param);
    }
}
