using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server.DecisionLog;

namespace RouteLLM.Server;

/// <summary><c>GET /v1/models</c> (the routing model names on offer) and <c>GET /health</c> (the router versions serving).</summary>
internal sealed class InfoEndpoints
{
    private readonly RouterPool _routers;
    private readonly ClientKeys _clientKeys;
    private readonly IReadOnlyList<(string Name, string Router)> _models;

    /// <exception cref="InvalidOperationException">A listed model name is malformed, or names an unknown router or model.</exception>
    public InfoEndpoints(RouterPool routers, ClientKeys clientKeys, ServedModels served, IOptions<RouteLLMServerOptions> options)
    {
        _routers = routers;
        _clientKeys = clientKeys;
        var names = options.Value.Models.Count > 0
            ? options.Value.Models
            : [.. routers.Names.Select(router => ModelUpstreams.PairOmitted(options.Value)
                ? PolicyModelName.Format(router, ModelPolicy.WillingnessToPay(0))
                : RoutingModelName.Format(router, RoutingThreshold.Fixed(0.5)))];
        _models = [.. names.Select(name => (name, Check(name, routers, served)))];
    }

    public Task ModelsAsync(HttpContext context)
    {
        if (_clientKeys.Check(context.Request) is { } unauthorized)
        {
            return unauthorized.WriteAsync(context);
        }

        var models = _models.Select(m => new ModelEntry(m.Name, _routers.Get(m.Router).LoadedAt.ToUnixTimeSeconds())).ToList();
        return context.Response.WriteAsJsonAsync(new ModelList(models), ServerJsonContext.Api.ModelList, contentType: null, context.RequestAborted);
    }

    public Task HealthAsync(HttpContext context)
    {
        var routers = _routers.Names.Select(name =>
        {
            var router = _routers.Get(name);
            return new RouterHealth(name, router.Scorer.Model.Manifest.Kind, router.Version, router.LoadedAt, router.CalibrationPromptCount);
        }).ToList();
        return context.Response.WriteAsJsonAsync(new HealthReport("online", routers), ServerJsonContext.Api.HealthReport, contentType: null, context.RequestAborted);
    }

    private static string Check(string model, RouterPool routers, ServedModels served)
    {
        if (PolicyModelName.CheckListed(model, routers, served) is { } policyRouter)
        {
            return policyRouter;
        }

        // A strong/weak shadow name is checked as the routing name it shadows.
        var routingModel = ShadowModelName.TryParse(model, out var shadowed, out _) ? shadowed : model;
        if (!RoutingModelName.TryParse(routingModel, out var router, out var threshold, out var error))
        {
            throw new InvalidOperationException($"{RouteLLMServerOptions.SectionName}:Models: {error!.Message}");
        }

        if (!routers.TryGet(router, out var pooled))
        {
            throw new InvalidOperationException($"{RouteLLMServerOptions.SectionName}:Models: '{model}' names router '{router}', which is not configured.");
        }

        if (threshold.IsStrongShare && pooled.CalibrationPromptCount == 0)
        {
            throw new InvalidOperationException($"{RouteLLMServerOptions.SectionName}:Models: '{model}' needs calibration prompts for router '{router}'.");
        }

        return router;
    }
}
