using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RouteLLM.MLNet.Plotting.ImageExport.Tests;

/// <summary>A decoded 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's canvas writes), enough to look at pixels.</summary>
internal sealed class PngImage
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private readonly byte[] _rgb;

    private PngImage(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        _rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        var i = ((y * Width) + x) * 3;
        return (_rgb[i], _rgb[i + 1], _rgb[i + 2]);
    }

    public static PngImage Decode(byte[] png)
    {
        if (!png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            throw new InvalidDataException("Not a PNG: the signature is missing.");
        }

        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var offset = Signature.Length; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                var (bitDepth, colourType, interlace) = (data[8], data[9], data[12]);
                channels = colourType switch { 2 => 3, 6 => 4, _ => 0 };
                if (bitDepth != 8 || channels == 0 || interlace != 0)
                {
                    throw new InvalidDataException($"Unsupported PNG: bit depth {bitDepth}, colour type {colourType}, interlace {interlace}.");
                }
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }

            offset += 12 + length;
        }

        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return new PngImage(width, height, Unfilter(inflated.ToArray(), width, height, channels));
    }

    // PNG row filters (RFC 2083, 6): each row starts with its filter type and predicts bytes from the left and upper ones.
    private static byte[] Unfilter(byte[] filtered, int width, int height, int channels)
    {
        var stride = width * channels;
        var previous = new byte[stride];
        var row = new byte[stride];
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var filter = filtered[y * (stride + 1)];
            var source = filtered.AsSpan((y * (stride + 1)) + 1, stride);
            for (var i = 0; i < stride; i++)
            {
                int left = i >= channels ? row[i - channels] : 0, up = previous[i], upLeft = i >= channels ? previous[i - channels] : 0;
                var predicted = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter} in row {y}."),
                };
                row[i] = (byte)(source[i] + predicted);
            }

            for (var x = 0; x < width; x++)
            {
                row.AsSpan(x * channels, 3).CopyTo(rgb.AsSpan(((y * width) + x) * 3));
            }

            (previous, row) = (row, previous);
        }

        return rgb;
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        var p = left + up - upLeft;
        int pa = Math.Abs(p - left), pb = Math.Abs(p - up), pc = Math.Abs(p - upLeft);
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
}
