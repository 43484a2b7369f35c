using System.Globalization;
using System.Collections;
using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server.SharedState;
using RouteLLM.Testing;
using YamlDotNet.RepresentationModel;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

/// <summary>
/// deploy/Dockerfile and the kustomize base in deploy/k8s, parsed and checked against the server: the port, the probe
/// paths (asked of a running server) and every configuration key (bound to the server's options classes).
/// </summary>
public sealed partial class DeployManifestTests
{
    private static readonly string Deploy = Path.Combine(SharedData.RepositoryRoot, "deploy");

    [Fact]
    public async Task The_probes_name_paths_the_server_serves_on_the_port_the_image_listens_on()
    {
        var container = Container();
        var port = Scalar(container, "ports", 0, "containerPort");
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));

        Assert.Contains($"EXPOSE {port}\n", dockerfile);
        Assert.Contains($"\"--urls\", \"http://0.0.0.0:{port}\"", dockerfile);
        Assert.Contains($"http://127.0.0.1:{port}/health/ready", dockerfile);
        Assert.Matches(@"(?m)^USER app$", dockerfile);
        Assert.Equal(2, Regex.Count(dockerfile, "(?m)^FROM "));
        await using var server = await StartAsync();
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            Assert.Equal("http", Scalar(container, probe, "httpGet", "port"));
            var path = Scalar(container, probe, "httpGet", "path");
            using var response = await server.Client.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{probe} {path}: {response.StatusCode}");
        }

        Assert.Equal("/health/live", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.NotNull(Scalar(container, "resources", "requests", "cpu"));
        Assert.NotNull(Scalar(container, "resources", "requests", "memory"));
    }

    [Fact]
    public void Every_configuration_key_of_the_manifests_is_an_option_of_the_server()
    {
        var keys = new List<string>();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Deploy, "k8s", "base", "routellm.json")))!;
        Flatten(json, "", keys);
        var kustomization = Load(Path.Combine("base", "kustomization.yaml"))[0];
        foreach (var literal in Sequence(kustomization, "secretGenerator", 0, "literals"))
        {
            keys.Add(((YamlScalarNode)literal).Value!.Split('=')[0].Replace("__", ":", StringComparison.Ordinal));
        }

        var component = File.ReadAllText(Path.Combine(Deploy, "k8s", "components", "redis", "kustomization.yaml"));
        keys.AddRange(EnvironmentKey().Matches(component).Select(m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)));

        Assert.Contains("RouteLLM:Redis:Configuration", keys);
        Assert.Contains("RouteLLM:Server:Strong:ApiKey", keys);
        Assert.Contains("RouteLLM:Models:1:OutputUsdPerMTok", keys);
        Assert.All(keys, key => Assert.True(IsOption(key), $"'{key}' is not a setting of the server."));
    }

    [Fact]
    public void The_service_the_autoscaler_and_the_disruption_budget_point_at_the_deployment()
    {
        var deployment = Load(Path.Combine("base", "deployment.yaml"))[0];
        var service = Load(Path.Combine("base", "service.yaml"))[0];
        var hpa = Load(Path.Combine("base", "hpa.yaml"))[0];
        var pdb = Load(Path.Combine("base", "pdb.yaml"))[0];
        var resources = Sequence(Load(Path.Combine("base", "kustomization.yaml"))[0], "resources").Select(r => ((YamlScalarNode)r).Value).ToList();

        Assert.Equal(["deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml"], resources);
        Assert.Equal("Deployment", Scalar(deployment, "kind"));
        Assert.Equal(Scalar(Container(), "ports", 0, "name"), Scalar(service, "spec", "ports", 0, "targetPort"));
        Assert.Equal(Scalar(deployment, "metadata", "name"), Scalar(hpa, "spec", "scaleTargetRef", "name"));
        Assert.Equal("PodDisruptionBudget", Scalar(pdb, "kind"));
        Assert.True(int.Parse(Scalar(pdb, "spec", "minAvailable")!, CultureInfo.InvariantCulture) < int.Parse(Scalar(hpa, "spec", "minReplicas")!, CultureInfo.InvariantCulture));
    }

    private static YamlMappingNode Container() =>
        (YamlMappingNode)Node(Load(Path.Combine("base", "deployment.yaml"))[0], "spec", "template", "spec", "containers", 0);

    private static List<YamlNode> Load(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Deploy, "k8s", relative));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode)];
    }

    private static YamlNode Node(YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step is int index ? ((YamlSequenceNode)node).Children[index] : ((YamlMappingNode)node).Children[new YamlScalarNode((string)step)];
        }

        return node;
    }

    private static string? Scalar(YamlNode node, params object[] path) => ((YamlScalarNode)Node(node, path)).Value;

    private static IEnumerable<YamlNode> Sequence(YamlNode node, params object[] path) => ((YamlSequenceNode)Node(node, path)).Children;

    private static void Flatten(JsonNode node, string prefix, List<string> keys)
    {
        if (node is JsonObject json)
        {
            foreach (var (name, child) in json)
            {
                Flatten(child!, prefix.Length == 0 ? name : $"{prefix}:{name}", keys);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Flatten(array[i]!, $"{prefix}:{i}", keys);
            }
        }
        else
        {
            keys.Add(prefix);
        }
    }

    // RouteLLM binds RouterPoolOptions; RouteLLM:Server and RouteLLM:Redis bind the server's and the shared state's,
    // RouteLLM:Models and RouteLLM:Catalogue the catalogue, the one price source.
    private static bool IsOption(string key)
    {
        var segments = key.Split(':');
        if (segments is not ["RouteLLM", var section, .. var rest])
        {
            return false;
        }

        return section switch
        {
            "Server" => Resolves(typeof(RouteLLMServerOptions), rest),
            "Redis" => Resolves(typeof(RedisOptions), rest),
            nameof(RouteLLMModelsOptions.Models) or nameof(RouteLLMModelsOptions.Catalogue) => Resolves(typeof(RouteLLMModelsOptions), [section, .. rest]),
            _ => Resolves(typeof(RouterPoolOptions), [section, .. rest]),
        };
    }

    private static bool Resolves(Type type, string[] path)
    {
        if (path.Length == 0)
        {
            return true;
        }

        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null)
        {
            return false;
        }

        var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            // One segment names the entry; the rest bind its value.
            return path.Length == 1 || Resolves(propertyType.GetGenericArguments()[1], path[2..]);
        }

        if (propertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(propertyType))
        {
            // One segment is the index; an element that is an object binds the rest.
            var element = propertyType.IsGenericType ? propertyType.GetGenericArguments()[0] : typeof(string);
            return path.Length <= 2 || (element != typeof(string) && element.IsClass && Resolves(element, path[2..]));
        }

        return Resolves(propertyType, path[1..]);
    }

    [GeneratedRegex(@"name: (RouteLLM__[A-Za-z_]+)")]
    private static partial Regex EnvironmentKey();
}
