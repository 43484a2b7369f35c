using System.Text;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Tests.Data;

public sealed class CsvReaderTests : TempFolderTest
{
    private string WriteBytes(string text, bool bom = false)
    {
        var path = Path.Combine(Folder.Path, "t.csv");
        File.WriteAllBytes(path, [.. (bom ? new byte[] { 0xEF, 0xBB, 0xBF } : []), .. Encoding.UTF8.GetBytes(text)]);
        return path;
    }

    private static (string[] Header, List<(long Line, string[] Fields)> Rows, SkippedRows Skipped) ReadAll(string path, bool skipBadRows = false)
    {
        var skipped = new SkippedRows();
        using var csv = CsvReader.Open(path, new BadRows(path, skipBadRows, skipped));
        var rows = new List<(long, string[])>();
        while (csv.Read())
        {
            rows.Add((csv.Line, Enumerable.Range(0, csv.Header.Count).Select(i => csv[i]).ToArray()));
        }

        return ([.. csv.Header], rows, skipped);
    }

    [Fact]
    public void Reads_quotes_doubled_quotes_commas_and_line_breaks_inside_fields_with_record_start_lines()
    {
        var path = WriteBytes(
            "prompt,a,b\r\n" +
            "\"He said \"\"hi\"\", then left\",1,\r\n" +
            "\"two\nlines, LF\",\"x\r\ny\",\"\"\r\n" +
            "\r\n" +
            "plain \"inner\" quote,,last", bom: true);

        var (header, rows, skipped) = ReadAll(path);

        Assert.Equal(["prompt", "a", "b"], header);
        Assert.Equal(3, rows.Count);
        Assert.Equal([2L, 3L, 7L], rows.Select(r => r.Line));
        Assert.Equal(["He said \"hi\", then left", "1", ""], rows[0].Fields);
        Assert.Equal(["two\nlines, LF", "x\r\ny", ""], rows[1].Fields);
        Assert.Equal(["plain \"inner\" quote", "", "last"], rows[2].Fields);
        Assert.Equal(0, skipped.Total);
    }

    [Fact]
    public void Lone_carriage_returns_end_records_and_count_as_lines()
    {
        var (_, rows, _) = ReadAll(WriteBytes("p,q\rone,\"a\rb\"\rtwo,c\r"));

        Assert.Equal([2L, 4L], rows.Select(r => r.Line));
        Assert.Equal(["one", "a\rb", "two", "c"], rows.SelectMany(r => r.Fields));
    }

    [Fact]
    public void Unbalanced_quote_at_end_of_file_names_file_line_and_column_even_when_skipping_bad_rows()
    {
        var path = WriteBytes("prompt,score\nok,1\nfine,2\n\"never closed,3\nmore text\n");

        var error = Assert.Throws<DataFormatException>(() => ReadAll(path, skipBadRows: true));

        Assert.Equal((path, 4L, "prompt"), (error.File, error.Line, error.Field));
        Assert.Contains("unbalanced quote", error.Message);
        Assert.StartsWith($"{path}:4 [prompt]: ", error.Message);
    }

    [Fact]
    public void Wrong_field_count_throws_with_its_line_or_is_skipped_and_counted()
    {
        var path = WriteBytes("prompt,score\nok,1\n\"multi\nline\",2,extra\nlast,3\nshort\n");

        var error = Assert.Throws<DataFormatException>(() => ReadAll(path));
        Assert.Equal((3L, null), (error.Line, error.Field));
        Assert.Contains("3 fields where the header has 2", error.Message);

        var (_, rows, skipped) = ReadAll(path, skipBadRows: true);
        Assert.Equal(["ok", "last"], rows.Select(r => r.Fields[0]));
        Assert.Equal(5L, rows[1].Line);
        Assert.Equal(2, skipped["wrong field count"]);
        Assert.Equal("2 skipped (2 × wrong field count)", skipped.ToString());
    }

    [Fact]
    public void Text_after_a_closing_quote_is_an_error_naming_the_column()
    {
        var path = WriteBytes("prompt,score\n\"quoted\"tail,1\n");

        var error = Assert.Throws<DataFormatException>(() => ReadAll(path));

        Assert.Equal((2L, "prompt"), (error.Line, error.Field));
        Assert.Contains("must be doubled", error.Message);
    }

    [Fact]
    public void Columns_are_found_by_name_and_missing_or_repeated_ones_are_named()
    {
        var path = WriteBytes("b,prompt,b\n1,x,2\n");
        using var csv = CsvReader.Open(path, new BadRows(path, false, new SkippedRows()));

        Assert.Equal(1, csv.RequireColumn("prompt"));
        Assert.Equal(-1, csv.FindColumn("absent"));
        var missing = Assert.Throws<DataFormatException>(() => csv.RequireColumn("winner_tie"));
        Assert.Equal((1L, "winner_tie"), (missing.Line, missing.Field));
        Assert.Contains("'b', 'prompt', 'b'", missing.Message);
        var repeated = Assert.Throws<DataFormatException>(() => csv.FindColumn("b"));
        Assert.Contains("more than once", repeated.Message);
    }

    [Fact]
    public void An_empty_file_has_no_header()
    {
        var path = WriteBytes("", bom: true);

        var error = Assert.Throws<DataFormatException>(() => ReadAll(path));

        Assert.Equal((path, 1L), (error.File, error.Line));
        Assert.Contains("empty", error.Message);
    }
}
