using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server.DecisionLog;
using RouteLLM.Server.SharedState;

namespace RouteLLM.Server;

/// <summary>Why an upstream gave no answer; nothing has been written to the client, so another upstream may answer.</summary>
/// <param name="Reason">What happened, for logs and the client's 502 (never holds a key).</param>
/// <param name="TimedOut">Whether the upstream ran out of time.</param>
/// <param name="RetryAfter">For an upstream that answered 429: its <c>Retry-After</c>, if it gave one.</param>
internal sealed record UpstreamFailure(string Reason, bool TimedOut, TimeSpan? RetryAfter = null)
{
    /// <summary>Whether the upstream answered 429 (too many requests).</summary>
    public bool RateLimited { get; init; }
}

/// <summary>
/// Sends a routed request to an upstream and relays its answer: the JSON body, or the event stream line by line, with
/// <c>model</c> set to the upstream's configured model and the routing decision in response headers.
/// </summary>
internal sealed partial class UpstreamForwarder : IDisposable
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] LineEnd = "\n"u8.ToArray();

    private readonly RouteLLMServerOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly ServerDrainState _drain;
    private readonly ILogger _logger;
    private readonly Upstream? _strong;
    private readonly Upstream? _weak;

    /// <exception cref="InvalidOperationException">There is a catalogue and an upstream's model is not in it.</exception>
    public UpstreamForwarder(
        IOptions<RouteLLMServerOptions> options, ModelPrices prices, ServerMetrics metrics, ServerDrainState drain, ILogger<UpstreamForwarder> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _drain = drain;
        _logger = logger;
        HasPair = !ModelUpstreams.PairOmitted(_options);
        if (HasPair)
        {
            _strong = new Upstream("strong", _options.Strong, prices.Of("RouteLLM:Server:Strong:Model", _options.Strong.Model), _options.ConnectTimeout);
            _weak = new Upstream("weak", _options.Weak, prices.Of("RouteLLM:Server:Weak:Model", _options.Weak.Model), _options.ConnectTimeout);
        }

        Models = new ModelUpstreams(_options.Upstreams, prices, _options.ConnectTimeout);
    }

    /// <summary>Whether a strong/weak pair is configured for threshold names (it may be left out beside <see cref="Models"/>).</summary>
    public bool HasPair { get; }

    public Upstream Strong => _strong ?? throw new InvalidOperationException("No strong upstream is configured.");

    public Upstream Weak => _weak ?? throw new InvalidOperationException("No weak upstream is configured.");

    /// <summary>The upstreams of <see cref="RouteLLMServerOptions.Upstreams"/>, one per model, for policy names.</summary>
    public ModelUpstreams Models { get; }

    /// <summary>Relays <paramref name="request"/> to <paramref name="upstream"/>; returns null once the client has an answer.</summary>
    public Task<UpstreamFailure?> ForwardAsync(HttpContext context, ChatCompletionRequest request, Upstream upstream, RoutingDecision decision) =>
        ForwardAsync(context, request, upstream, new PairAnswer(decision));

    /// <summary>Relays <paramref name="request"/> to <paramref name="upstream"/>, letting <paramref name="answer"/> mark up and read the answer.</summary>
    public async Task<UpstreamFailure?> ForwardAsync(HttpContext context, ChatCompletionRequest request, Upstream upstream, IAnswerAnnotator answer)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _drain.DrainEnded);
        deadline.CancelAfter(_options.UpstreamTimeout);
        var started = Stopwatch.GetTimestamp();
        var result = await ForwardCoreAsync(context, request, upstream, answer, deadline).ConfigureAwait(false);
        _metrics.UpstreamFinished(upstream.Role, result.Outcome, started);
        if (result.Failure is null)
        {
            return null;
        }

        LogUpstreamFailed(_logger, upstream.Role, upstream.Model, result.Failure.Reason);
        return result.ClientAnswered ? null : result.Failure;
    }

    public void Dispose()
    {
        _strong?.Dispose();
        _weak?.Dispose();
        Models.Dispose();
    }

    private async Task<Result> ForwardCoreAsync(
        HttpContext context, ChatCompletionRequest request, Upstream upstream, IAnswerAnnotator answer, CancellationTokenSource deadline)
    {
        var aborted = context.RequestAborted;
        HttpResponseMessage response;
        try
        {
            response = await upstream.SendAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return _drain.DrainEnded.IsCancellationRequested
                ? Result.Failed(ShuttingDown)
                : Result.TimedOut($"no response within {_options.UpstreamTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return Result.Failed($"unreachable ({e.HttpRequestError})");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    return new Result("error", new UpstreamFailure("returned 429 (too many requests)", TimedOut: false, RetryAfterOf(response)) { RateLimited = true }, ClientAnswered: false);
                }

                if (IsUpstreamFault(response.StatusCode))
                {
                    return Result.Failed(
                        status is 401 or 403 ? $"rejected the server's credentials ({status})" : $"returned {status}", RetryAfterOf(response));
                }

                // Any other 4xx is about the client's request (e.g. an unsupported parameter): the client should see it.
                await RelayClientErrorAsync(context, response, deadline.Token).ConfigureAwait(false);
                return new Result("rejected", null, ClientAnswered: true);
            }

            try
            {
                return request.Stream
                    ? await RelayStreamAsync(context, response, upstream, answer, deadline).ConfigureAwait(false)
                    : await RelayJsonAsync(context, response, upstream, answer, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested && _drain.DrainEnded.IsCancellationRequested)
            {
                return Result.Failed(ShuttingDown);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                return Result.TimedOut($"no complete response within {_options.UpstreamTimeout.TotalSeconds:0.###} s");
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                return Result.Failed($"broke off its response ({e.GetType().Name})");
            }
        }
    }

    private const string ShuttingDown = "the server is shutting down";

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    private static bool IsUpstreamFault(HttpStatusCode status) =>
        status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || (int)status >= 500;

    private static async Task<Result> RelayJsonAsync(
        HttpContext context, HttpResponseMessage response, Upstream upstream, IAnswerAnnotator answer, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Result.Failed("returned a body that is not JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Result.Failed("returned JSON that is not an object");
            }

            ResponseFacts.Capture(context, document.RootElement);
            TokenUsage.Capture(context, document.RootElement, upstream);
            answer.Observe(document.RootElement);
            answer.SetHeaders(context.Response.Headers, upstream);
            var json = new ArrayBufferWriter<byte>();
            await using (var writer = new Utf8JsonWriter(json))
            {
                ChatCompletionRequest.WriteWithModel(writer, document.RootElement, upstream.Model, w => answer.WriteFields(w, upstream));
            }

            // Not flushed: the whole answer, with its length, leaves when the request ends, after its spend is recorded.
            // A replica killed before then has sent a load balancer nothing, so it retries the request on another
            // replica (the same request id: counted once); a flushed chunked answer could be cut after its headers,
            // which no load balancer can retry and no client can read (docs/DEPLOY.md).
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = json.WrittenCount;
            context.Response.BodyWriter.Write(json.WrittenSpan);
            return Result.Ok;
        }
    }

    private async Task<Result> RelayStreamAsync(
        HttpContext context, HttpResponseMessage response, Upstream upstream, IAnswerAnnotator answer, CancellationTokenSource deadline)
    {
        var aborted = context.RequestAborted;
        var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
        using var reader = new StreamReader(body, Encoding.UTF8);
        answer.SetHeaders(context.Response.Headers, upstream);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(aborted).ConfigureAwait(false);
        var output = context.Response.BodyWriter;
        var done = false;
        while (true)
        {
            deadline.CancelAfter(_options.StreamIdleTimeout);
            string? line;
            try
            {
                line = await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested && _drain.DrainEnded.IsCancellationRequested)
            {
                LogStreamCut(_logger, upstream.Role, upstream.Model, _drain.DrainTimeout.TotalSeconds);
                await WriteStreamErrorAsync(
                    output, $"The server is shutting down: this stream ran longer than its drain time of {_drain.DrainTimeout.TotalSeconds:0.###} s.", "server_shutting_down", aborted).ConfigureAwait(false);
                return new Result("error", new UpstreamFailure(ShuttingDown, TimedOut: false), ClientAnswered: true);
            }
            catch (Exception e) when (e is IOException or HttpRequestException || e is OperationCanceledException && !aborted.IsCancellationRequested)
            {
                // Headers are out: the client learns of the failure from an error event, as OpenAI reports one mid-stream.
                var timedOut = e is OperationCanceledException;
                var reason = timedOut ? $"sent nothing for {_options.StreamIdleTimeout.TotalSeconds:0.###} s" : "broke off its stream";
                await WriteStreamErrorAsync(output, $"Upstream '{upstream.Role}' ({upstream.Model}) {reason}.", "upstream_stream_error", aborted).ConfigureAwait(false);
                return new Result(timedOut ? "timeout" : "error", new UpstreamFailure(reason, timedOut), ClientAnswered: true);
            }

            if (line is null)
            {
                if (done)
                {
                    await output.FlushAsync(aborted).ConfigureAwait(false);
                    return Result.Ok;
                }

                // A stream cut short looks like a finished one unless its end marker is checked.
                const string reason = "ended its stream without data: [DONE]";
                await WriteStreamErrorAsync(output, $"Upstream '{upstream.Role}' ({upstream.Model}) {reason}.", "upstream_stream_error", aborted).ConfigureAwait(false);
                return new Result("error", new UpstreamFailure(reason, TimedOut: false), ClientAnswered: true);
            }

            done |= line.StartsWith("data:", StringComparison.Ordinal) && line.AsSpan(5).Trim().SequenceEqual("[DONE]");

            if (line.Length == 0)
            {
                output.Write(LineEnd);
                await output.FlushAsync(aborted).ConfigureAwait(false);
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal) && TryRewriteEvent(context, line.AsMemory(5).Trim(), upstream, answer))
            {
                output.Write(LineEnd);
            }
            else
            {
                Encoding.UTF8.GetBytes(line, output);
                output.Write(LineEnd);
            }
        }
    }

    // Rewrites the model of a JSON data line and keeps its usage (the last chunk's, when the client asked for it);
    // leaves [DONE] and anything not a JSON object to be copied as it is.
    private static bool TryRewriteEvent(HttpContext context, ReadOnlyMemory<char> payload, Upstream upstream, IAnswerAnnotator answer)
    {
        if (payload.Length == 0 || payload.Span[0] != '{')
        {
            return false;
        }

        JsonDocument chunk;
        try
        {
            chunk = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            return false;
        }

        using (chunk)
        {
            TokenUsage.Capture(context, chunk.RootElement, upstream);
            var output = context.Response.BodyWriter;
            output.Write(DataPrefix);
            using var writer = new Utf8JsonWriter(output);
            answer.Observe(chunk.RootElement);
            ChatCompletionRequest.WriteWithModel(writer, chunk.RootElement, upstream.Model, w => answer.WriteFields(w, upstream));
        }

        return true;
    }

    private static async Task WriteStreamErrorAsync(PipeWriter output, string message, string code, CancellationToken cancellationToken)
    {
        output.Write(DataPrefix);
        using (var writer = new Utf8JsonWriter(output))
        {
            JsonSerializer.Serialize(
                writer, new ErrorBody(new ErrorDetail(message, OpenAIError.UpstreamError, null, code)), ServerJsonContext.Api.ErrorBody);
        }

        output.Write("\n\n"u8);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RelayClientErrorAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        await context.Response.WriteAsync(Redact(body), context.RequestAborted).ConfigureAwait(false);
    }

    // Upstreams may quote the key they were sent (OpenAI quotes part of a wrong one); no key leaves this server.
    private string Redact(string text)
    {
        foreach (var key in Models.ApiKeys.Append(_strong?.ApiKey).Append(_weak?.ApiKey))
        {
            if (key is not null)
            {
                text = text.Replace(key, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static void SetRoutingHeaders(IHeaderDictionary headers, RoutingDecision decision, Upstream upstream)
    {
        headers[RouteLLMServer.ModelHeader] = upstream.Model;
        headers[RouteLLMServer.RouteHeader] = decision.RoutesToStrong ? "strong" : "weak";
        headers[RouteLLMServer.StrongWinRateHeader] = decision.StrongWinRate.ToString("0.#####", CultureInfo.InvariantCulture);
        headers[RouteLLMServer.ThresholdHeader] = decision.Threshold.ToString("0.#####", CultureInfo.InvariantCulture);
    }

    /// <summary>How one upstream call ended: its metrics outcome, its failure if any, and whether the client has an answer.</summary>
    private sealed record Result(string Outcome, UpstreamFailure? Failure, bool ClientAnswered)
    {
        public static readonly Result Ok = new("ok", null, ClientAnswered: true);

        public static Result Failed(string reason, TimeSpan? retryAfter = null) =>
            new("error", new UpstreamFailure(reason, TimedOut: false, retryAfter), ClientAnswered: false);

        public static Result TimedOut(string reason) => new("timeout", new UpstreamFailure(reason, TimedOut: true), ClientAnswered: false);
    }

    [LoggerMessage(11, LogLevel.Warning, "Cut a stream from upstream '{Role}' ({Model}): the server is stopping and the drain time of {DrainSeconds} s has passed.")]
    private static partial void LogStreamCut(ILogger logger, string role, string model, double drainSeconds);

    [LoggerMessage(10, LogLevel.Warning, "Upstream '{Role}' ({Model}) failed: {Reason}.")]
    private static partial void LogUpstreamFailed(ILogger logger, string role, string model, string reason);
}
