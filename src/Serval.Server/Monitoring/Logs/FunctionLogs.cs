using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Serval.Server.Monitoring.Logs;

/// <summary>
/// The functions' logs in <c>logs.db</c>: every invocation's record and every line a handler wrote.
/// <see cref="Append"/> never blocks the request path: records go into a bounded buffer that one
/// background writer empties in batches (one transaction each); a full buffer drops new records and
/// counts them (<see cref="Dropped"/>). Records older than the retention are swept. Reads see what
/// the writer has committed, a moment after the call.
/// </summary>
public sealed class FunctionLogs : IHostedService, IAsyncDisposable
{
    private const int MaxBatch = 1024;
    private readonly string _connectionString;
    private readonly LogOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<LogRecord> _buffer;
    private Task _writer = Task.CompletedTask;
    private long _dropped;

    static FunctionLogs() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating) the log database at <paramref name="path"/>.</summary>
    public FunctionLogs(string path, LogOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _buffer = Channel.CreateBounded<LogRecord>(new BoundedChannelOptions(options.Buffer) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        using SqliteConnection connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS logs (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                time INTEGER NOT NULL,
                kind TEXT NOT NULL,
                function TEXT NOT NULL,
                version INTEGER NOT NULL,
                instance TEXT NOT NULL,
                node TEXT, id TEXT, start INTEGER, duration_ms REAL, billed_ms INTEGER, memory_mb REAL, cold INTEGER, status INTEGER, error TEXT, line TEXT);
            CREATE INDEX IF NOT EXISTS logs_function ON logs(function, seq);
            CREATE INDEX IF NOT EXISTS logs_time ON logs(time);
            """);
    }

    /// <summary>Records dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues a record to be written; drops it (counted) when the buffer is full.</summary>
    public void Append(LogRecord record)
    {
        if (!_buffer.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>
    /// The records of <paramref name="function"/> after <paramref name="afterSeq"/> and not before
    /// <paramref name="since"/>, oldest first, at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<LogRecord> Read(string function, long afterSeq, DateTimeOffset? since, int limit)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand read = connection.CreateCommand();
        read.CommandText = """
            SELECT seq, time, kind, function, version, instance, node, id, start, duration_ms, billed_ms, memory_mb, cold, status, error, line
            FROM logs WHERE function = $function AND seq > $after AND time >= $since ORDER BY seq LIMIT $limit
            """;
        read.Parameters.AddWithValue("$function", function);
        read.Parameters.AddWithValue("$after", afterSeq);
        read.Parameters.AddWithValue("$since", since?.ToUnixTimeMilliseconds() ?? 0);
        read.Parameters.AddWithValue("$limit", limit);
        using SqliteDataReader r = read.ExecuteReader();
        var records = new List<LogRecord>();
        while (r.Read())
        {
            records.Add(new LogRecord
            {
                Seq = r.GetInt64(0),
                Time = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
                Kind = r.GetString(2),
                Function = r.GetString(3),
                Version = r.GetInt32(4),
                Instance = r.GetString(5),
                Node = r.IsDBNull(6) ? null : r.GetString(6),
                Id = r.IsDBNull(7) ? null : r.GetString(7),
                Start = r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
                DurationMs = r.IsDBNull(9) ? null : r.GetDouble(9),
                BilledMs = r.IsDBNull(10) ? null : r.GetInt64(10),
                MemoryMb = r.IsDBNull(11) ? null : r.GetDouble(11),
                Cold = r.IsDBNull(12) ? null : r.GetInt64(12) != 0,
                Status = r.IsDBNull(13) ? null : r.GetInt32(13),
                Error = r.IsDBNull(14) ? null : r.GetString(14),
                Line = r.IsDBNull(15) ? null : r.GetString(15),
            });
        }

        return records;
    }

    /// <summary>Removes the records older than the retention; returns how many.</summary>
    public int Sweep()
    {
        using SqliteConnection connection = Open();
        using SqliteCommand sweep = connection.CreateCommand();
        sweep.CommandText = "DELETE FROM logs WHERE time < $before";
        sweep.Parameters.AddWithValue("$before", (_time.GetUtcNow() - _options.Retention).ToUnixTimeMilliseconds());
        return sweep.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _buffer.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _buffer.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<LogRecord>(MaxBatch);
        long lastSweep = _time.GetTimestamp();
        Sweep();
        while (await _buffer.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _buffer.Reader.TryRead(out LogRecord? record))
            {
                batch.Add(record);
            }

            Write(batch);
            batch.Clear();
            if (_time.GetElapsedTime(lastSweep) >= _options.SweepInterval)
            {
                Sweep();
                lastSweep = _time.GetTimestamp();
            }
        }
    }

    private void Write(List<LogRecord> batch)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO logs (time, kind, function, version, instance, node, id, start, duration_ms, billed_ms, memory_mb, cold, status, error, line)
            VALUES ($time, $kind, $function, $version, $instance, $node, $id, $start, $duration, $billed, $memory, $cold, $status, $error, $line)
            """;
        string[] names = ["$time", "$kind", "$function", "$version", "$instance", "$node", "$id", "$start", "$duration", "$billed", "$memory", "$cold", "$status", "$error", "$line"];
        foreach (string name in names)
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        foreach (LogRecord r in batch)
        {
            object?[] values =
            [
                r.Time.ToUnixTimeMilliseconds(), r.Kind, r.Function, r.Version, r.Instance, r.Node, r.Id, r.Start?.ToUnixTimeMilliseconds(),
                r.DurationMs, r.BilledMs, r.MemoryMb, r.Cold is { } cold ? (cold ? 1 : 0) : null, r.Status, r.Error, r.Line,
            ];
            for (int i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 5000;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
