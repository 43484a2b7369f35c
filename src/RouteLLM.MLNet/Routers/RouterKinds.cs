using System.Collections.Concurrent;
using System.Reflection;

namespace RouteLLM.MLNet.Routers;

/// <summary>Finds the loader for a manifest's kind in the assembly the manifest names.</summary>
internal static class RouterKinds
{
    private static readonly ConcurrentDictionary<string, IRouterModelLoader> Loaders = new(StringComparer.Ordinal);

    public static IRouterModelLoader Resolve(RouterManifest manifest, string zipPath)
    {
        var key = $"{manifest.Assembly}/{manifest.Kind}";
        if (Loaders.TryGetValue(key, out var loader))
        {
            return loader;
        }

        Assembly assembly;
        try
        {
            // An assembly the host already loaded by path (a notebook's #r) is used as it is: loading its name again fails there.
            assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == manifest.Assembly)
                ?? Assembly.Load(new AssemblyName(manifest.Assembly));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new RouterFormatException(
                $"{zipPath}: router kind '{manifest.Kind}' is implemented in assembly '{manifest.Assembly}', which this application does not reference.",
                e);
        }

        foreach (var attribute in assembly.GetCustomAttributes<RouterKindAttribute>())
        {
            if (Activator.CreateInstance(attribute.LoaderType) is IRouterModelLoader found)
            {
                Loaders.TryAdd($"{manifest.Assembly}/{attribute.Kind}", found);
            }
        }

        return Loaders.TryGetValue(key, out loader)
            ? loader
            : throw new RouterFormatException($"{zipPath}: assembly '{manifest.Assembly}' declares no loader for router kind '{manifest.Kind}'.");
    }
}
