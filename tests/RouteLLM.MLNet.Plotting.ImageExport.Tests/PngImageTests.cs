using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RouteLLM.MLNet.Plotting.ImageExport.Tests;

public sealed class PngImageTests
{
    [Fact]
    public void Rows_filtered_with_sub_up_and_paeth_decode_to_their_pixels()
    {
        // 2×3 RGBA: row 0 unfiltered (red, green), row 1 "up" (same as row 0), row 2 Paeth with zero residuals
        // (each byte predicted from its neighbours: again red, green).
        byte[] raw =
        [
            0, 255, 0, 0, 255, 0, 255, 0, 255,
            2, 0, 0, 0, 0, 0, 0, 0, 0,
            4, 0, 0, 0, 0, 0, 0, 0, 0,
        ];

        var image = PngImage.Decode(Png(2, 3, colourType: 6, raw));

        Assert.Equal((2, 3), (image.Width, image.Height));
        for (var y = 0; y < 3; y++)
        {
            Assert.Equal(((byte)255, (byte)0, (byte)0), image.Pixel(0, y));
            Assert.Equal(((byte)0, (byte)255, (byte)0), image.Pixel(1, y));
        }
    }

    [Fact]
    public void Sub_filter_adds_the_pixel_to_the_left()
    {
        // 3×1 RGB, "sub": (10,20,30), then +5 on each channel twice.
        byte[] raw = [1, 10, 20, 30, 5, 5, 5, 5, 5, 5];

        var image = PngImage.Decode(Png(3, 1, colourType: 2, raw));

        Assert.Equal(((byte)20, (byte)30, (byte)40), image.Pixel(2, 0));
    }

    [Fact]
    public void A_file_without_the_png_signature_is_refused() =>
        Assert.Throws<InvalidDataException>(() => PngImage.Decode(Encoding.ASCII.GetBytes("GIF89a, not a PNG at all")));

    private static byte[] Png(int width, int height, byte colourType, byte[] filteredRows)
    {
        using var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        (header[8], header[9]) = (8, colourType);
        Chunk(png, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(filteredRows);
        }

        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    // The decoder ignores CRCs, so they are written as zero.
    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        png.Write(Encoding.ASCII.GetBytes(type));
        png.Write(data);
        png.Write(new byte[4]);
    }
}
