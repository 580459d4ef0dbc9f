using System.Text;
using Microsoft.Data.Sqlite;

namespace Serval.Server.Async;

/// <summary>Reads, each on its own pooled connection: in WAL mode they never wait for the writer.</summary>
public sealed partial class SqliteInvocationStore
{
    private const string ViewColumns = "id, function, version, status, created, ended, reason, condition, source, parent, idem_key, due, attempts";

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> DueFunctionsAsync(DateTimeOffset now)
    {
        using SqliteConnection connection = OpenRead();
        using SqliteCommand due = connection.CreateCommand();
        due.CommandText = "SELECT DISTINCT function FROM invocations WHERE status = 0 AND due <= $now";
        due.Parameters.AddWithValue("$now", Ms(now));
        return Task.FromResult<IReadOnlyList<string>>(ReadStrings(due));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AsyncBacklog>> BacklogAsync()
    {
        using SqliteConnection connection = OpenRead();
        using SqliteCommand backlog = connection.CreateCommand();
        // Served by invocations_due (status, due): only unfinished rows are read.
        backlog.CommandText = """
            SELECT function, version, sum(status = 0), sum(status = 1), min(CASE WHEN status = 0 THEN created END)
            FROM invocations WHERE status IN (0, 1) GROUP BY function, version
            """;
        var list = new List<AsyncBacklog>();
        using SqliteDataReader reader = backlog.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new AsyncBacklog(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), Time(reader, 4)));
        }

        return Task.FromResult<IReadOnlyList<AsyncBacklog>>(list);
    }

    /// <inheritdoc/>
    public Task<InvocationView?> GetAsync(string id, int inlineLimit)
    {
        using SqliteConnection connection = OpenRead();
        InvocationView view;
        using (SqliteCommand get = connection.CreateCommand())
        {
            get.CommandText = $"SELECT {ViewColumns}, result_status, result_type, length(result), CASE WHEN length(result) <= $inline THEN result END FROM invocations WHERE id = $id";
            get.Parameters.AddWithValue("$id", id);
            get.Parameters.AddWithValue("$inline", inlineLimit);
            using SqliteDataReader reader = get.ExecuteReader();
            if (!reader.Read())
            {
                return Task.FromResult<InvocationView?>(null);
            }

            view = View(reader) with
            {
                Result = reader.IsDBNull(15) ? null : new ResultView(reader.GetInt32(13), reader.GetString(14), reader.GetInt64(15), reader.IsDBNull(16) ? null : (byte[])reader.GetValue(16)),
            };
        }

        var attempts = new List<AttemptView>();
        using (SqliteCommand list = connection.CreateCommand())
        {
            list.CommandText = "SELECT n, started, ended, error, error_class, instance FROM attempts WHERE invocation = $id ORDER BY n";
            list.Parameters.AddWithValue("$id", id);
            using SqliteDataReader reader = list.ExecuteReader();
            while (reader.Read())
            {
                attempts.Add(new AttemptView(reader.GetInt32(0), Time(reader.GetInt64(1)), Time(reader, 2), Text(reader, 3), Text(reader, 4), Text(reader, 5)));
            }
        }

        var deliveries = new List<DeliveryView>();
        using (SqliteCommand list = connection.CreateCommand())
        {
            list.CommandText = "SELECT destination, kind, condition, status, attempts, target, error FROM deliveries WHERE invocation = $id";
            list.Parameters.AddWithValue("$id", id);
            using SqliteDataReader reader = list.ExecuteReader();
            while (reader.Read())
            {
                deliveries.Add(new DeliveryView(reader.GetString(0), reader.GetString(1), reader.GetString(2), (DeliveryStatus)reader.GetInt32(3), reader.GetInt32(4), Text(reader, 5), Text(reader, 6)));
            }
        }

        return Task.FromResult<InvocationView?>(view with { Attempts = attempts, Deliveries = deliveries });
    }

    /// <inheritdoc/>
    public Task<(StoredResult Meta, Stream Body)?> OpenResultAsync(string id)
    {
        SqliteConnection connection = OpenRead();
        try
        {
            long rowid;
            StoredResult meta;
            using (SqliteCommand get = connection.CreateCommand())
            {
                get.CommandText = "SELECT rowid, result_status, result_type, result_headers FROM invocations WHERE id = $id AND result IS NOT NULL";
                get.Parameters.AddWithValue("$id", id);
                using SqliteDataReader reader = get.ExecuteReader();
                if (!reader.Read())
                {
                    connection.Dispose();
                    return Task.FromResult<(StoredResult, Stream)?>(null);
                }

                rowid = reader.GetInt64(0);
                meta = new StoredResult(reader.GetInt32(1), reader.GetString(2), Headers(reader, 3), ReadOnlyMemory<byte>.Empty);
            }

            // Streamed from the row, not copied: a result may be megabytes.
            var blob = new SqliteBlob(connection, "invocations", "result", rowid, readOnly: true);
            return Task.FromResult<(StoredResult, Stream)?>((meta, new OwningStream(blob, connection)));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<InvocationView>> ListAsync(InvocationQuery query)
    {
        using SqliteConnection connection = OpenRead();
        using SqliteCommand list = connection.CreateCommand();
        var where = new StringBuilder("1 = 1");
        if (query.Function is { } function)
        {
            where.Append(" AND function = $function");
            list.Parameters.AddWithValue("$function", function);
        }

        if (query.Status is { } status)
        {
            where.Append(" AND status = $status");
            list.Parameters.AddWithValue("$status", (int)status);
        }

        if (query.After is { } after)
        {
            where.Append(" AND rowid < (SELECT rowid FROM invocations WHERE id = $after)");
            list.Parameters.AddWithValue("$after", after);
        }

        list.CommandText = $"SELECT {ViewColumns} FROM invocations WHERE {where} ORDER BY rowid DESC LIMIT $limit";
        list.Parameters.AddWithValue("$limit", query.Limit);
        var views = new List<InvocationView>();
        using SqliteDataReader reader = list.ExecuteReader();
        while (reader.Read())
        {
            views.Add(View(reader));
        }

        return Task.FromResult<IReadOnlyList<InvocationView>>(views);
    }

    private static InvocationView View(SqliteDataReader r)
    {
        var status = (InvocationStatus)r.GetInt32(3);
        return new InvocationView(r.GetString(0), r.GetString(1), r.GetInt32(2), status, Time(r.GetInt64(4)), Time(r, 5), Text(r, 6), Text(r, 7),
            r.GetString(8), Text(r, 9), Text(r, 10), status == InvocationStatus.Queued ? Time(r.GetInt64(11)) : null)
        {
            AttemptCount = r.GetInt32(12),
        };
    }

    private SqliteConnection OpenRead()
    {
        var connection = new SqliteConnection(_readString);
        connection.Open();
        return connection;
    }

    /// <summary>A blob stream that closes its connection when disposed.</summary>
    private sealed class OwningStream(SqliteBlob blob, SqliteConnection connection) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => blob.Length;
        public override long Position { get => blob.Position; set => blob.Position = value; }
        public override int Read(byte[] buffer, int offset, int count) => blob.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => blob.Read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => blob.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                blob.Dispose();
                connection.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
