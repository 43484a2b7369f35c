using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RouteLLM.Server;

/// <summary>The server's instruments, on the meter <see cref="RouteLLMServer.MeterName"/> (readable by OpenTelemetry or dotnet-counters).</summary>
internal sealed class ServerMetrics
{
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _routingDuration;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _failovers;

    public ServerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(RouteLLMServer.MeterName);
        _decisions = meter.CreateCounter<long>(
            "routellm.routing.decisions", "{decision}", "Routing decisions, by router and by route (strong or weak).");
        _routingDuration = meter.CreateHistogram<double>(
            "routellm.routing.duration", "s", "Time to score a request and decide its route.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] });
        _upstreamDuration = meter.CreateHistogram<double>(
            "routellm.upstream.duration", "s", "Time an upstream took to answer (to the end of its stream), by upstream and outcome.");
        _failovers = meter.CreateCounter<long>(
            "routellm.upstream.failovers", "{failover}", "Requests sent to the other upstream after the routed one failed.");
    }

    public void Routed(string router, bool toStrong, long startTimestamp) => Routed(router, toStrong ? "strong" : "weak", startTimestamp);

    /// <summary>Counts a decision whose route is <c>strong</c>/<c>weak</c>, or the model a policy name chose.</summary>
    public void Routed(string router, string route, long startTimestamp)
    {
        var routerTag = new KeyValuePair<string, object?>("routellm.router", router);
        _decisions.Add(1, routerTag, new KeyValuePair<string, object?>("routellm.route", route));
        _routingDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, routerTag);
    }

    public void UpstreamFinished(string upstream, string outcome, long startTimestamp) =>
        _upstreamDuration.Record(
            Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("routellm.upstream", upstream),
            new KeyValuePair<string, object?>("routellm.outcome", outcome));

    public void FailedOver(string from, string to) =>
        _failovers.Add(1, new KeyValuePair<string, object?>("routellm.from", from), new KeyValuePair<string, object?>("routellm.to", to));
}
