using System.Buffers;
using System.Text;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Reads RFC 4180 CSV: commas between fields, CRLF, LF or CR between records, and fields in double quotes that hold
/// commas, line breaks and doubled quotes. A UTF-8 byte-order mark is dropped, blank lines are not records (pandas
/// reads them the same way), and a quote inside an unquoted field is kept as text (as Python's csv module does).
/// Columns are found by header name, and the line on which each record starts is kept for error messages.
/// </summary>
internal sealed class CsvReader : IDisposable
{
    private const int EndOfFile = -1;
    private static readonly SearchValues<char> UnquotedEnd = SearchValues.Create(",\r\n");
    private static readonly SearchValues<char> QuotedSpecial = SearchValues.Create("\"\r\n");

    private readonly TextReader _reader;
    private readonly BadRows _bad;
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];
    private readonly string[] _header;
    private int _position;
    private int _length;
    private long _line = 1;

    /// <summary>Reads the header row of <paramref name="reader"/>; malformed records go to <paramref name="bad"/>.</summary>
    public CsvReader(TextReader reader, BadRows bad)
    {
        _reader = reader;
        _bad = bad;
        _header = [];
        if (!ReadRecord())
        {
            throw new DataFormatException(bad.File, 1, null, "the file is empty: a header row is expected");
        }

        _header = [.. _fields];
        _header[0] = _header[0].TrimStart('\uFEFF');
    }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> Header => _header;

    /// <summary>1-based line on which the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>The current record's value in column <paramref name="column"/>.</summary>
    public string this[int column] => _fields[column];

    /// <summary>Opens a UTF-8 CSV file (with or without a byte-order mark).</summary>
    public static CsvReader Open(string path, BadRows bad) =>
        new(new StreamReader(DataLayout.RequireFile(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), bad);

    /// <summary>Index of the column named <paramref name="name"/>, or -1 when the header lacks it.</summary>
    /// <exception cref="DataFormatException">The header names the column more than once.</exception>
    public int FindColumn(string name)
    {
        var index = Array.IndexOf(_header, name);
        return index < 0 || Array.LastIndexOf(_header, name) == index
            ? index
            : throw new DataFormatException(_bad.File, 1, name, "the header names this column more than once");
    }

    /// <summary>Index of the column named <paramref name="name"/>.</summary>
    /// <exception cref="DataFormatException">The header lacks the column or names it twice.</exception>
    public int RequireColumn(string name)
    {
        var index = FindColumn(name);
        return index >= 0 ? index : throw MissingColumn(name, name);
    }

    /// <summary>The error for a column the header lacks, listing the columns it has.</summary>
    public DataFormatException MissingColumn(string field, string what) =>
        new(_bad.File, 1, field, $"no column {what}; the header has {string.Join(", ", _header.Select(h => $"'{h}'"))}");

    /// <summary>Moves to the next record with as many fields as the header; other records are bad rows.</summary>
    /// <returns>False at the end of the file.</returns>
    public bool Read()
    {
        while (ReadRecord())
        {
            if (_fields.Count == _header.Length)
            {
                return true;
            }

            _bad.Report(Line, null, "wrong field count", $"{_fields.Count} fields where the header has {_header.Length}");
        }

        return false;
    }

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();

    private bool ReadRecord()
    {
        _fields.Clear();
        while (Peek() is '\r' or '\n')
        {
            ConsumeLineBreak();
        }

        if (Peek() == EndOfFile)
        {
            return false;
        }

        Line = _line;
        while (true)
        {
            _field.Clear();
            int c;
            if (Peek() == '"')
            {
                Next();
                ReadQuotedField();
                if ((c = Peek()) is not (',' or '\r' or '\n' or EndOfFile))
                {
                    throw new DataFormatException(_bad.File, _line, ColumnName(_fields.Count),
                        $"'{(char)c}' after a closing quote: a quote inside a quoted field must be doubled");
                }
            }
            else
            {
                AppendUntil(UnquotedEnd);
                c = Peek();
            }

            _fields.Add(_field.ToString());
            if (c != ',')
            {
                if (c != EndOfFile)
                {
                    ConsumeLineBreak();
                }

                return true;
            }

            Next();
        }
    }

    private void ReadQuotedField()
    {
        var openedOn = _line;
        while (true)
        {
            AppendUntil(QuotedSpecial);
            var c = Next();
            switch (c)
            {
                case EndOfFile:
                    throw new DataFormatException(_bad.File, openedOn, ColumnName(_fields.Count),
                        "unbalanced quote: the quoted field opened on this line is still open at the end of the file");
                case '"' when Peek() == '"':
                    Next();
                    _field.Append('"');
                    break;
                case '"':
                    return;
                default:
                    if (c == '\n' || (c == '\r' && Peek() != '\n'))
                    {
                        _line++;
                    }

                    _field.Append((char)c);
                    break;
            }
        }
    }

    /// <summary>Appends characters to the field up to (not including) the next one in <paramref name="stop"/> or the end.</summary>
    private void AppendUntil(SearchValues<char> stop)
    {
        while (Peek() != EndOfFile)
        {
            var rest = _buffer.AsSpan(_position, _length - _position);
            var end = rest.IndexOfAny(stop);
            _field.Append(end < 0 ? rest : rest[..end]);
            _position += end < 0 ? rest.Length : end;
            if (end >= 0)
            {
                return;
            }
        }
    }

    private void ConsumeLineBreak()
    {
        if (Next() == '\r' && Peek() == '\n')
        {
            Next();
        }

        _line++;
    }

    private string ColumnName(int index) => index < _header.Length ? _header[index] : $"column {index + 1}";

    private int Peek()
    {
        if (_position == _length)
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
            _position = 0;
        }

        return _length == 0 ? EndOfFile : _buffer[_position];
    }

    private int Next()
    {
        var c = Peek();
        if (c != EndOfFile)
        {
            _position++;
        }

        return c;
    }
}
