using Plotly.NET;
using Plotly.NET.CSharp;
using RouteLLM.Testing;
using Chart = Plotly.NET.CSharp.Chart;

namespace RouteLLM.MLNet.Plotting.ImageExport.Tests;

public sealed class ChartPngTests
{
    private static readonly (byte R, byte G, byte B) Red = (0xd6, 0x27, 0x28);
    private static readonly (byte R, byte G, byte B) Blue = (0x1f, 0x77, 0xb4);

    /// <summary>Where the two-curve test leaves its PNG for a person to look at.</summary>
    private static readonly string TwoCurvesPng = Path.Combine(AppContext.BaseDirectory, "png-export", "two-curves.png");

    [SkippableFact]
    public async Task Two_curves_render_at_the_requested_size_in_their_own_colours_and_places()
    {
        LocalChromium.Require();
        var options = new PngExportOptions { Width = 800, Height = 500, Scale = 1.5 };

        await ChartPng.SaveAsync(TwoCurves(), TwoCurvesPng, options);

        var image = PngImage.Decode(await File.ReadAllBytesAsync(TwoCurvesPng));
        Assert.Equal((1200, 750), (image.Width, image.Height));
        var red = PixelsNear(image, Red);
        var blue = PixelsNear(image, Blue);
        // Each 2-pixel line, about 700 CSS pixels long at scale 1.5, leaves well over a thousand pixels of its colour.
        Assert.True(red.Count > 1000, $"{red.Count} pixels of the router's red");
        Assert.True(blue.Count > 1000, $"{blue.Count} pixels of the random router's blue");
        // The router's concave curve lies above the diagonal: in the columns showing both, red is higher (rows grow downwards).
        var highestBlue = blue.GroupBy(p => p.X).ToDictionary(column => column.Key, column => column.Min(p => p.Y));
        var shared = red.GroupBy(p => p.X).Where(column => highestBlue.ContainsKey(column.Key)).ToList();
        var redAbove = shared.Count(column => column.Min(p => p.Y) < highestBlue[column.Key]);
        Assert.True(shared.Count > 500 && redAbove > 0.9 * shared.Count, $"red above blue in {redAbove} of {shared.Count} columns");
    }

    [SkippableFact]
    public async Task Saving_leaves_only_the_png_in_its_folder()
    {
        LocalChromium.Require();
        using var folder = new TemporaryDirectory();
        var path = Path.Combine(folder.Path, "nested", "chart.png");

        await ChartPng.SaveAsync(TwoCurves(), path, new PngExportOptions { Width = 300, Height = 200 });

        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
        var image = PngImage.Decode(await File.ReadAllBytesAsync(path));
        Assert.Equal((300, 200), (image.Width, image.Height));
    }

    [Fact]
    public async Task A_missing_browser_is_named_with_the_way_to_install_one_and_nothing_is_downloaded()
    {
        using var folder = new TemporaryDirectory();
        var missing = folder.File("chromium");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => ChartPng.RenderAsync(TwoCurves(), new PngExportOptions { BrowserPath = missing }));

        Assert.Equal(missing, error.FileName);
        Assert.Contains("apt-get install -y chromium", error.Message);
        // PuppeteerSharp's BrowserFetcher would have put a downloaded browser here.
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "Chrome")));
    }

    [Theory]
    [InlineData(0, 600, 1.0)]
    [InlineData(800, -1, 1.0)]
    [InlineData(800, 600, 0.0)]
    [InlineData(800, 600, double.NaN)]
    public async Task Sizes_that_cannot_be_rendered_are_refused(int width, int height, double scale)
    {
        var options = new PngExportOptions { Width = width, Height = height, Scale = scale };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ChartPng.RenderAsync(TwoCurves(), options));
    }

    private static GenericChart TwoCurves()
    {
        double[] share = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
        var router = Chart.Line<double, double, string>(
            share, share.Select(s => Math.Sqrt(s)), Name: "router", LineColor: Color.fromHex("#d62728"), LineWidth: 2);
        var random = Chart.Line<double, double, string>(
            share, share, Name: "random", LineColor: Color.fromHex("#1f77b4"), LineWidth: 2);
        var titled = Plotly.NET.Chart.withTitle("Quality against share of strong-model calls", TitleFont: null)
            .Invoke(Chart.Combine([router, random]));
        return titled
            .WithXAxisStyle<double, double, string>(TitleText: "Share of strong-model calls")
            .WithYAxisStyle<double, double, string>(TitleText: "Quality (fraction of the gap closed)");
    }

    private static List<(int X, int Y)> PixelsNear(PngImage image, (byte R, byte G, byte B) colour)
    {
        var found = new List<(int X, int Y)>();
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image.Pixel(x, y);
                if (Math.Abs(r - colour.R) + Math.Abs(g - colour.G) + Math.Abs(b - colour.B) < 40)
                {
                    found.Add((x, y));
                }
            }
        }

        return found;
    }
}
