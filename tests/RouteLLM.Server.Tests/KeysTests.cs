using System.Net;
using System.Net.Http.Headers;
using RouteLLM.FakeUpstream;
using RouteLLM.Testing;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

public sealed class KeysTests
{
    [Fact]
    public async Task A_configured_client_key_is_required_on_v1_but_not_on_health()
    {
        await using var server = await StartAsync(new Dictionary<string, string?>
        {
            ["RouteLLM:Server:ApiKeys:0"] = "client-key-one",
            ["RouteLLM:Server:ApiKeys:1"] = "client-key-two",
        });

        using var missing = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("missing_api_key", (await ReadErrorAsync(missing))["code"]!.GetValue<string>());

        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "client-key-three");
        using var wrong = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
        using var wrongModels = await server.Client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var error = await ReadErrorAsync(wrong);
        Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
        Assert.DoesNotContain("client-key", error.ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongModels.StatusCode);
        Assert.Equal(0, server.Upstream.CallsFor(StrongModel));

        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "client-key-two");
        using var right = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
        using var models = await server.Client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);

        server.Client.DefaultRequestHeaders.Authorization = null;
        using var health = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Upstream_keys_are_sent_upstream_and_never_reach_clients_or_logs()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Failover"] = "true" }, logs);

        using var ok = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Bearer " + StrongKey, server.Upstream.LastAuthorization);

        // A 400 from the upstream is about the request, so the client sees it, with the quoted key blanked out.
        server.Upstream.Behave(StrongModel, UpstreamBehaviour.BadRequestQuotingKey);
        using var rejected = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        var rejectedBody = await rejected.Content.ReadAsStringAsync();
        Assert.Contains("Bearer ***", rejectedBody);

        // Both upstreams refuse their keys and quote them: the client gets a 502 that quotes neither.
        server.Upstream.Behave(StrongModel, UpstreamBehaviour.UnauthorizedQuotingKey);
        server.Upstream.Behave(WeakModel, UpstreamBehaviour.UnauthorizedQuotingKey);
        using var refused = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        var refusedBody = await refused.Content.ReadAsStringAsync();
        Assert.Contains("rejected the server's credentials (401)", (await ReadErrorAsync(refused))["message"]!.GetValue<string>());

        Assert.NotEmpty(logs.Entries);
        Assert.Contains(logs.Entries, e => e.Text.Contains("rejected the server's credentials"));
        foreach (var text in logs.Entries.Select(e => e.Text).Append(rejectedBody).Append(refusedBody)
            .Append(string.Join("\n", rejected.Headers.Concat(refused.Headers).SelectMany(h => h.Value))))
        {
            Assert.DoesNotContain(StrongKey, text);
            Assert.DoesNotContain(WeakKey, text);
            Assert.DoesNotContain("SECRET", text);
        }
    }
}
