using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using RouteLLM.MLNet.IO;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// An append-only file of embeddings of one embedder, shared by threads and processes.
/// </summary>
/// <remarks>
/// Layout: a 48-byte header (<c>RLLMEMB1</c>, int32 dimension, int32 record version, SHA-256 of the embedder id),
/// then fixed-size records: SHA-256 of the text's UTF-8 (32 bytes), the vector (dimension × float32, little-endian),
/// and the first 8 bytes of SHA-256 over key and vector. A record whose checksum fails is never served.
/// Readers take no lock. Writers hold an exclusive lock on <c>&lt;file&gt;.lock</c>, so while one holds it nobody else
/// is writing: a partial or failing record at the end can only be left by a writer that crashed, and is cut off
/// before appending. Damaged records before the end are skipped (and counted).
/// </remarks>
internal sealed class EmbeddingCacheFile : IDisposable
{
    public const int KeySize = 32;
    private const int HeaderSize = 48;
    private const int ChecksumSize = 8;
    private const int RecordVersion = 1;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private readonly FileStream _file;
    private readonly string _lockPath;
    private readonly Dictionary<UInt128, long> _offsets = [];
    private readonly Lock _gate = new();
    private long _scanned = HeaderSize;
    private long _damaged;

    private EmbeddingCacheFile(FileStream file, string lockPath, int dimension)
    {
        _file = file;
        _lockPath = lockPath;
        Dimension = dimension;
        RecordSize = KeySize + dimension * sizeof(float) + ChecksumSize;
    }

    public int Dimension { get; }

    /// <summary>Damaged records skipped so far.</summary>
    public long DamagedRecords => Interlocked.Read(ref _damaged);

    private int RecordSize { get; }

    /// <summary>Opens the file, creating it with its header if needed, and reads its index.</summary>
    /// <exception cref="InvalidDataException">The file is not an embedding cache of this embedder and dimension.</exception>
    public static EmbeddingCacheFile Open(string path, string embedderId, int dimension)
    {
        var header = new byte[HeaderSize];
        "RLLMEMB1"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), RecordVersion);
        SHA256.HashData(Encoding.UTF8.GetBytes(embedderId), header.AsSpan(16));
        if (!File.Exists(path))
        {
            AtomicFile.Write(path, header, overwrite: false);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var existing = new byte[HeaderSize];
        if (RandomAccess.Read(file.SafeFileHandle, existing, 0) != HeaderSize || !existing.AsSpan().SequenceEqual(header))
        {
            file.Dispose();
            throw new InvalidDataException($"{path} is not an embedding cache of '{embedderId}' ({dimension} dimensions).");
        }

        var cache = new EmbeddingCacheFile(file, path + ".lock", dimension);
        cache.Refresh();
        return cache;
    }

    /// <summary>The cache key of a text: SHA-256 of its UTF-8 bytes.</summary>
    public static byte[] KeyOf(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    /// <summary>Reads records appended (by anyone) since the last look.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            Scan();
        }
    }

    /// <summary>Copies the stored vector of <paramref name="key"/> into <paramref name="destination"/>, if there is an intact one.</summary>
    public bool TryGet(byte[] key, Span<float> destination)
    {
        long offset;
        lock (_gate)
        {
            if (!_offsets.TryGetValue(IndexKey(key), out offset))
            {
                return false;
            }
        }

        var record = new byte[RecordSize];
        if (RandomAccess.Read(_file.SafeFileHandle, record, offset) != RecordSize || !IsIntact(record) || !record.AsSpan(0, KeySize).SequenceEqual(key))
        {
            // Damaged since it was indexed: forget it, so that the recomputed vector is appended.
            lock (_gate)
            {
                _offsets.Remove(IndexKey(key));
            }

            Interlocked.Increment(ref _damaged);
            return false;
        }

        MemoryMarshal.Cast<byte, float>(record.AsSpan(KeySize, Dimension * sizeof(float))).CopyTo(destination);
        return true;
    }

    /// <summary>Appends the entries not stored yet, in one write, under the writers' lock, and flushes them to disk.</summary>
    public void Append(IReadOnlyList<(byte[] Key, ReadOnlyMemory<float> Vector)> entries)
    {
        using var writers = AcquireWriterLock();
        lock (_gate)
        {
            Scan();
            var end = CutDamagedTail();
            var buffer = new List<byte>(entries.Count * RecordSize);
            var added = new Dictionary<UInt128, long>();
            foreach (var (key, vector) in entries)
            {
                var indexKey = IndexKey(key);
                if (!_offsets.ContainsKey(indexKey) && added.TryAdd(indexKey, end + buffer.Count))
                {
                    buffer.AddRange(Record(key, vector.Span));
                }
            }

            if (buffer.Count == 0)
            {
                return;
            }

            RandomAccess.Write(_file.SafeFileHandle, CollectionsMarshal.AsSpan(buffer), end);
            _file.Flush(flushToDisk: true);
            foreach (var (key, offset) in added)
            {
                _offsets[key] = offset;
            }

            _scanned = end + buffer.Count;
        }
    }

    public void Dispose() => _file.Dispose();

    private static UInt128 IndexKey(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt128LittleEndian(key);

    // Indexes every whole record past _scanned. Records that fail their checksum at the very end are left unread:
    // they may still be being written; below an intact record they are damage, skipped for good.
    private void Scan()
    {
        var length = RandomAccess.GetLength(_file.SafeFileHandle);
        var whole = HeaderSize + (length - HeaderSize) / RecordSize * RecordSize;
        var record = new byte[RecordSize];
        var firstBad = -1L;
        for (var offset = _scanned; offset < whole; offset += RecordSize)
        {
            if (RandomAccess.Read(_file.SafeFileHandle, record, offset) != RecordSize)
            {
                // A writer cut a torn tail since the length was read.
                whole = offset;
                break;
            }

            if (!IsIntact(record))
            {
                firstBad = firstBad < 0 ? offset : firstBad;
                continue;
            }

            if (firstBad >= 0)
            {
                Interlocked.Add(ref _damaged, (offset - firstBad) / RecordSize);
                firstBad = -1;
            }

            _offsets.TryAdd(IndexKey(record), offset);
        }

        _scanned = firstBad >= 0 ? firstBad : Math.Max(_scanned, whole);
    }

    // Called by the writer holding the lock, after Scan: whatever lies past the last intact record was left by a
    // writer that crashed (a torn record, or a whole one whose bytes never reached the disk).
    private long CutDamagedTail()
    {
        if (RandomAccess.GetLength(_file.SafeFileHandle) != _scanned)
        {
            _file.SetLength(_scanned);
        }

        return _scanned;
    }

    private byte[] Record(byte[] key, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
        {
            throw new InvalidOperationException($"An embedding has {vector.Length} values; the cache holds {Dimension}.");
        }

        var record = new byte[RecordSize];
        key.CopyTo(record, 0);
        MemoryMarshal.AsBytes(vector).CopyTo(record.AsSpan(KeySize));
        Checksum(record).CopyTo(record.AsSpan(RecordSize - ChecksumSize));
        return record;
    }

    private bool IsIntact(ReadOnlySpan<byte> record) =>
        Checksum(record).SequenceEqual(record[(RecordSize - ChecksumSize)..]);

    private ReadOnlySpan<byte> Checksum(ReadOnlySpan<byte> record) =>
        SHA256.HashData(record[..(RecordSize - ChecksumSize)]).AsSpan(0, ChecksumSize);

    // FileShare.None is an exclusive flock on Unix and a sharing lock on Windows: one writer at a time across
    // processes and across instances in one process.
    private FileStream AcquireWriterLock()
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
        }
    }
}
