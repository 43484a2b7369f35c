namespace RouteLLM.MLNet.Routers;

/// <summary>
/// Declares, on an assembly, which <see cref="IRouterModelLoader"/> reads router zips of a kind, the way ML.NET's
/// <c>LoadableClass</c> attributes let its model loader find a component without knowing it in advance.
/// </summary>
/// <param name="kind">The manifest's <see cref="RouterManifest.Kind"/>.</param>
/// <param name="loaderType">A type implementing <see cref="IRouterModelLoader"/>.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class RouterKindAttribute(string kind, Type loaderType) : Attribute
{
    /// <summary>The router kind.</summary>
    public string Kind { get; } = kind;

    /// <summary>The loader type.</summary>
    public Type LoaderType { get; } = loaderType;
}
