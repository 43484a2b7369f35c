using RouteLLM.MLNet.Routers;
using Xunit;

namespace RouteLLM.Testing;

/// <summary>The zip round trip every router kind must pass: written, read back, and written again to the same bytes.</summary>
public static class RouterZipRoundTrip
{
    /// <summary>
    /// Writes <paramref name="model"/> to a zip, reads it back and asserts that writing the loaded router gives the same
    /// bytes; returns the loaded router, whose scores the caller compares with the original's.
    /// </summary>
    /// <typeparam name="TModel">The router's static type; the loaded router must have the original's runtime type.</typeparam>
    /// <param name="model">The router.</param>
    public static TModel AssertSameBytes<TModel>(TModel model)
        where TModel : RouterModel
    {
        ArgumentNullException.ThrowIfNull(model);
        using var first = new MemoryStream();
        RouterZip.Write(model, first);
        var loaded = RouterZip.Read(new MemoryStream(first.ToArray()), "first.zip");
        Assert.IsType(model.GetType(), loaded);
        using var second = new MemoryStream();
        RouterZip.Write(loaded, second);
        Assert.Equal(first.ToArray(), second.ToArray());
        return (TModel)loaded;
    }
}
