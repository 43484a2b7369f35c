using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Extensions.Tests;

public sealed class RouteLLMChatClientTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly RouterPool _pool;
    private readonly RecordingChatClient _strong = new("strong", defaultModelId: "gpt-4-1106-preview");
    private readonly RecordingChatClient _weak = new("weak");

    public RouteLLMChatClientTests()
    {
        var router = _directory.File("r.zip");
        RouterZip.Save(ScriptedRouterModel.Create(0.5f), router);
        var prompts = _directory.File("prompts.txt");
        File.WriteAllLines(prompts, Enumerable.Range(1, 10).Select(i => $"p=0.{i:00}"));
        _pool = new RouterPool(Options.Create(new RouterPoolOptions { WatchForChanges = false }.AddRouter("r", router, prompts)));
    }

    public void Dispose()
    {
        _pool.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("p=0.61 explain monads", 0.6, true)]
    [InlineData("p=0.6 explain monads", 0.6, true)]
    [InlineData("p=0.59 explain monads", 0.6, false)]
    [InlineData("p=0.01 say hi", 0.0, true)]
    [InlineData("p=0.99 prove it", 1.0, false)]
    public async Task Routes_by_the_threshold_and_says_which_model_answered(string prompt, double threshold, bool strong)
    {
        using var client = new RouteLLMChatClient(_strong, _weak, _pool, "r", RoutingThreshold.Fixed(threshold));

        var response = await client.GetResponseAsync(prompt);

        Assert.Equal(strong ? "from strong" : "from weak", response.Text);
        Assert.Equal((strong ? 1 : 0, strong ? 0 : 1), (_strong.Calls, _weak.Calls));
        // The strong client's metadata names its model; the weak one's does not, so the router's weak model is used.
        Assert.Equal(strong ? "gpt-4-1106-preview" : ScriptedRouterModel.WeakModel, response.ModelId);
        Assert.Equal(strong ? "strong" : "weak", response.AdditionalProperties![RouteLLMChatClient.RouteProperty]);
        Assert.Equal(float.Parse(prompt[2..prompt.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture),
            response.AdditionalProperties[RouteLLMChatClient.StrongWinRateProperty]);
    }

    [Fact]
    public async Task A_strong_share_routes_that_share_of_the_calibration_prompts_to_the_strong_model()
    {
        using var client = new RouteLLMChatClient(_strong, _weak, _pool, "r", RoutingThreshold.ForStrongShare(0.3));

        foreach (var i in Enumerable.Range(1, 10))
        {
            await client.GetResponseAsync($"p=0.{i:00}");
        }

        Assert.Equal((3, 7), (_strong.Calls, _weak.Calls));
    }

    [Fact]
    public async Task Streams_every_update_from_the_routed_client_and_stamps_them()
    {
        using var client = new RouteLLMChatClient(_strong, _weak, _pool, "r", RoutingThreshold.Fixed(0.5));

        var updates = await client.GetStreamingResponseAsync("p=0.2 hi").ToListAsync();

        Assert.Equal(["weak0 ", "weak1 ", "weak2 "], updates.Select(u => u.Text));
        Assert.All(updates, u => Assert.Equal(ScriptedRouterModel.WeakModel, u.ModelId));
        Assert.Equal("weak", updates[0].AdditionalProperties![RouteLLMChatClient.RouteProperty]);
        Assert.Equal((0, 1), (_strong.Calls, _weak.Calls));
    }

    [Fact]
    public async Task Routes_the_last_user_message_by_default_and_the_whole_conversation_when_asked()
    {
        ChatMessage[] conversation =
        [
            new(ChatRole.User, "p=0.9 a hard question"),
            new(ChatRole.Assistant, "an answer"),
            new(ChatRole.User, "p=0.1 thanks"),
            new(ChatRole.Assistant, "you're welcome"),
        ];
        using var client = new RouteLLMChatClient(_strong, _weak, _pool, "r", RoutingThreshold.Fixed(0.5));

        Assert.Equal("from weak", (await client.GetResponseAsync(conversation)).Text);
        client.RoutedText = RoutedText.Conversation;
        Assert.Equal("from strong", (await client.GetResponseAsync(conversation)).Text);
    }

    [Fact]
    public async Task Records_the_decision_on_an_activity()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RouteLLMChatClient.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        using var client = new RouteLLMChatClient(_strong, _weak, _pool, "r", RoutingThreshold.Fixed(0.5));

        await client.GetResponseAsync("p=0.75 design a database");

        var activity = Assert.Single(stopped, a => (string?)a.GetTagItem("routellm.router") == "r" && a.GetTagItem("routellm.strong_win_rate") is 0.75f);
        Assert.Equal("strong", activity.GetTagItem("routellm.route"));
        Assert.Equal("gpt-4-1106-preview", activity.GetTagItem("routellm.model"));
        Assert.Equal(0.5f, activity.GetTagItem("routellm.threshold"));
    }

    [Fact]
    public async Task Composes_with_ChatClientBuilder_using_the_pool_from_DI()
    {
        var router = _directory.File("r.zip");
        using var services = new ServiceCollection().AddRouteLLM(o => o.AddRouter("r", router).WatchForChanges = false).BuildServiceProvider();
        var loggedAfterRouting = new List<string>();

        using var client = new ChatClientBuilder(_strong)
            .Use(async (messages, options, next, cancellationToken) =>
            {
                await next(messages, options, cancellationToken);
                loggedAfterRouting.Add("done");
            })
            .UseRouteLLM(_weak, "r", RoutingThreshold.Fixed(0.5), c => c.RoutedText = RoutedText.Conversation)
            .Build(services);

        var response = await client.GetResponseAsync("p=0.8 route me");

        Assert.Equal("from strong", response.Text);
        Assert.Equal(["done"], loggedAfterRouting);
        var routing = client.GetService<RouteLLMChatClient>();
        Assert.NotNull(routing);
        Assert.Equal(RoutedText.Conversation, routing.RoutedText);
        Assert.Same(_strong, routing.StrongClient);
    }

    [Fact]
    public async Task Arguments_are_checked_up_front()
    {
        var fixedHalf = RoutingThreshold.Fixed(0.5);
        Assert.Throws<ArgumentNullException>(() => new RouteLLMChatClient(null!, _weak, _pool, "r", fixedHalf));
        Assert.Throws<ArgumentNullException>(() => new RouteLLMChatClient(_strong, null!, _pool, "r", fixedHalf));
        Assert.Throws<ArgumentNullException>(() => new RouteLLMChatClient(_strong, _weak, null!, "r", fixedHalf));
        Assert.Throws<ArgumentException>(() => new RouteLLMChatClient(_strong, _strong, _pool, "r", fixedHalf));
        Assert.Throws<ArgumentException>(() => new RouteLLMChatClient(_strong, _weak, _pool, "unknown", fixedHalf));
        Assert.Throws<ArgumentOutOfRangeException>(() => RoutingThreshold.Fixed(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RoutingThreshold.ForStrongShare(double.NaN));

        var uncalibrated = _directory.File("u.zip");
        RouterZip.Save(ScriptedRouterModel.Create(0.5f), uncalibrated);
        using var pool = new RouterPool(Options.Create(new RouterPoolOptions { WatchForChanges = false }.AddRouter("u", uncalibrated)));
        Assert.Throws<ArgumentException>(() => new RouteLLMChatClient(_strong, _weak, pool, "u", RoutingThreshold.ForStrongShare(0.5)));

        using var client = new RouteLLMChatClient(_strong, _weak, _pool, "r", fixedHalf);
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetResponseAsync((IEnumerable<ChatMessage>)null!));
    }

    [Fact]
    public void Disposing_disposes_both_clients()
    {
        new RouteLLMChatClient(_strong, _weak, _pool, "r", RoutingThreshold.Fixed(0.5)).Dispose();

        Assert.True(_strong.Disposed);
        Assert.True(_weak.Disposed);
    }

    [Fact]
    public async Task With_leave_open_disposing_leaves_both_clients_open()
    {
        using (var client = new RouteLLMChatClient(_strong, _weak, _pool, "r", RoutingThreshold.Fixed(0.5), leaveOpen: true))
        {
            await client.GetResponseAsync("p=0.9 prove it");
        }

        Assert.False(_strong.Disposed);
        Assert.False(_weak.Disposed);
        Assert.Equal((1, 0), (_strong.Calls, _weak.Calls));
    }
}
