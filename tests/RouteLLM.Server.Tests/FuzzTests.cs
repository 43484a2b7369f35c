using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using RouteLLM.MLNet.Extensions;
using Xunit.Abstractions;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

/// <summary>
/// Property-based tests (FsCheck) of the model-name parser and, against a real server on 127.0.0.1, of the request
/// parser: generated names and bodies, valid, broken and hostile, each answered by a 200 or an OpenAI-shaped 4xx.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Requests = 10_000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    private static readonly Gen<string> NamePiece = Gen.Elements(
        "router-", "r", "plain", "nope", "mf-", "-", "--", "@", "0", "0.5", ".5", "1", "1e-4", "1e-400", "1e400", "-0.5", "+0.3",
        "e", "E-", "NaN", "Infinity", "0,5", " ", "é", "😀", "\ud800", "\u0000", "\"", "\\", "x");

    private static readonly Gen<string> ModelName = Gen.OneOf(
        Gen.ListOf(NamePiece).Select(pieces => string.Concat(pieces)),
        Gen.Elements("router-r-", "router-plain-", "router-r@").SelectMany(
            prefix => Gen.Choose(-2000, 2000), (prefix, n) => prefix + (n / 1000.0).ToString(CultureInfo.InvariantCulture)));

    [Fact]
    public void The_model_name_parser_never_throws_and_answers_a_4xx_with_a_short_message_for_what_it_refuses()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Requests), Prop.ForAll(ModelName.ToArbitrary(), model =>
        {
            if (RoutingModelName.TryParse(model, out var router, out var threshold, out var error))
            {
                return router.Length > 0 && threshold.Value is >= 0 and <= 1 && error is null;
            }

            return error!.Status is 400 or 404 && error.Param == "model" && error.Message.Length < 600;
        }));
    }

    [Fact]
    public void Every_name_and_threshold_in_range_round_trips_through_the_model_name()
    {
        var segment = Gen.Elements("mf", "sw", "causal", "llm", "v2", "b_1", "x.y").Select(s => s);
        var name = Gen.NonEmptyListOf(segment).Select(parts => string.Join('-', parts));
        var value = Gen.Choose(0, 1_000_000).Select(n => n / 1_000_000.0);
        var gen = name.SelectMany(_ => value, (router, threshold) => (router, threshold));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Requests), Prop.ForAll(gen.ToArbitrary(), pair =>
        {
            var model = $"router-{pair.router}-{pair.threshold.ToString("R", CultureInfo.InvariantCulture)}";
            return RoutingModelName.TryParse(model, out var router, out var threshold, out _)
                && router == pair.router && threshold == RoutingThreshold.Fixed(pair.threshold);
        }));
    }

    [Fact]
    public async Task Ten_thousand_generated_requests_get_a_200_or_an_OpenAI_shaped_4xx_and_the_server_keeps_answering()
    {
        await using var server = await StartAsync(new Dictionary<string, string?>
        {
            ["RouteLLM:Server:MaxRequestBodyBytes"] = "65536",
        });
        var requests = RequestGen().Sample(Requests, 30);
        var statuses = new ConcurrentDictionary<int, int>();
        using var timeout = new CancellationTokenSource(Patience);

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = timeout.Token }, async (request, ct) =>
        {
            using var content = new ByteArrayContent(request.Body);
            content.Headers.ContentType = request.ContentType is null ? null : MediaTypeHeaderValue.Parse(request.ContentType);
            var sent = $"{request.ContentType ?? "no type"}, {request.Body.Length} bytes: {Encoding.Latin1.GetString(request.Body)[..Math.Min(300, request.Body.Length)]}";
            HttpResponseMessage response;
            try
            {
                response = await server.Client.PostAsync("/v1/chat/completions", content, ct);
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"No answer to {sent}", e);
            }

            using var _ = response;
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(ct);
            var described = $"{status} for {sent}: {body}";
            Assert.True(status == 200 || status is >= 400 and < 500, described);
            if (status != 200)
            {
                var error = JsonNode.Parse(body)!["error"]!;
                Assert.True(error["message"]!.GetValue<string>().Length > 0 && error["type"]!.GetValue<string>().Length > 0, described);
            }

            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        });

        output.WriteLine($"statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.Equal(Requests, statuses.Values.Sum());
        Assert.True(statuses.Count >= 5, $"the generator should reach many outcomes, got {string.Join(", ", statuses)}");
        using var ok = await server.PostAsync(Chat("router-r-0.5", "p=0.9 still there?"), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    private sealed record GeneratedRequest(string? ContentType, byte[] Body);

    private static Gen<GeneratedRequest> RequestGen()
    {
        var text = Gen.Frequency(
            (4, Gen.Elements("hi", "p=0.9 hard", "p=0.1 easy")),
            (4, Gen.Elements("", "\\ud800", "\\udc00x", "\\u0000", "é😀", "\\\"quoted\\\"", "line\\nbreak")),
            // Up to four messages of up to 40,000 characters: some bodies are over the 64 KiB limit.
            (1, Gen.Choose(0, 40_000).Select(n => new string('x', n))));
        var content = Gen.Frequency(
            (6, text.Select(t => $"\"{t}\"")),
            (2, text.Select(t => $"[{{\"type\": \"text\", \"text\": \"{t}\"}}, {{\"type\": \"image_url\"}}]")),
            (1, Gen.Elements("7", "null", "[\"x\"]", "{}", "true", "[]")));
        var role = Gen.Elements("\"user\"", "\"user\"", "\"user\"", "\"system\"", "\"assistant\"", "1", "null");
        var message = role.SelectMany(_ => content, (r, c) => $"{{\"role\": {r}, \"content\": {c}}}");
        var messages = Gen.Frequency(
            (8, Gen.Choose(1, 4).SelectMany(count => Gen.ListOf(message, count), (_, list) => $"[{string.Join(", ", list)}]")),
            (1, Gen.Elements("[]", "\"hi\"", "null", "{}")));
        var model = Gen.Frequency(
            (4, Gen.Elements("\"router-r-0.5\"", "\"router-plain-0.11593\"", "\"router-r@0.3\"", "\"router-r-1e-4\"")),
            (4, ModelName.Select(m => $"\"{m.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"")),
            (1, Gen.Elements("42", "null", "[]")));
        var stream = Gen.Elements("", ", \"stream\": true", ", \"stream\": false", ", \"stream\": \"yes\"", ", \"stream\": null");
        var json = model.SelectMany(_ => messages, (m, ms) => (m, ms)).SelectMany(_ => stream, (p, s) => $"{{\"model\": {p.m}, \"messages\": {p.ms}{s}, \"temperature\": 0.2}}");
        var bytes = Gen.Frequency(
            (6, json.Select(Encoding.UTF8.GetBytes)),
            // Truncated, with a stray byte that is not UTF-8, or nested too deep.
            (1, json.SelectMany(j => Gen.Choose(0, j.Length), (j, cut) => Encoding.UTF8.GetBytes(j[..cut]))),
            (1, json.SelectMany(j => Gen.Choose(0, j.Length), (j, at) => (byte[])[.. Encoding.UTF8.GetBytes(j[..at]), 0xFF, .. Encoding.UTF8.GetBytes(j[at..])])),
            (1, Gen.Choose(1, 200).Select(depth => Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)))),
            (1, Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))));
        var contentType = Gen.Frequency(
            (12, Gen.Constant<string?>("application/json")),
            (1, Gen.Constant<string?>("application/json; charset=utf-8")),
            (1, Gen.Constant<string?>("text/plain")),
            (1, Gen.Constant<string?>(null)));
        return contentType.SelectMany(_ => bytes, (type, body) => new GeneratedRequest(type, body));
    }
}
