namespace RouteLLM.MLNet.Routers;

/// <summary>
/// Reads one kind of router from its zip. Implementations are named by <see cref="RouterKindAttribute"/> on their
/// assembly and need a public parameterless constructor.
/// </summary>
public interface IRouterModelLoader
{
    /// <summary>Reads the router's entries; the manifest and entry digests have already been checked.</summary>
    /// <param name="reader">The opened zip.</param>
    RouterModel Load(RouterZipReader reader);
}
