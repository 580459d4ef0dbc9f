using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Serval.Server.Async;

/// <summary>
/// The embedded invocation store: its own SQLite file in WAL mode, written by one connection with
/// group commit (<see cref="SqliteWriter"/>), read by pooled connections that never block it.
/// <c>synchronous = FULL</c>: an accepted invocation survives a power cut, not only a crash; group
/// commit pays the fsync once per batch. Times are Unix milliseconds.
/// </summary>
public sealed partial class SqliteInvocationStore : IInvocationStore
{
    private readonly string _readString;
    private readonly SqliteWriter _writer;

    static SqliteInvocationStore() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating) the store at <paramref name="path"/>.</summary>
    public SqliteInvocationStore(string path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true };
        _readString = builder.ToString();
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using (SqliteCommand setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;" + Schema + TriggerSchema;
            setup.ExecuteNonQuery();
        }

        _writer = new SqliteWriter(connection);
    }

    /// <inheritdoc/>
    public Task<InsertResult> InsertAsync(NewInvocation invocation) => _writer.Enqueue(new InsertOp(invocation));

    /// <inheritdoc/>
    public Task<IReadOnlyList<ClaimedInvocation>> ClaimAsync(string function, int limit, string owner, DateTimeOffset now, DateTimeOffset leaseUntil) =>
        _writer.Enqueue<IReadOnlyList<ClaimedInvocation>>(writer =>
        {
            var claimed = new List<ClaimedInvocation>();
            SqliteCommand claim = writer.Command("""
                UPDATE invocations SET status = 1, lease_owner = $owner, lease_expiry = $until, attempts = attempts + 1
                WHERE rowid IN (SELECT rowid FROM invocations WHERE function = $function AND status = 0 AND due <= $now ORDER BY due LIMIT $limit)
                RETURNING id, version, route, content_type, headers, payload, created, attempts, counted, system_failures, depth
                """);
            claim.Parameters.AddWithValue("$owner", owner);
            claim.Parameters.AddWithValue("$until", Ms(leaseUntil));
            claim.Parameters.AddWithValue("$function", function);
            claim.Parameters.AddWithValue("$now", Ms(now));
            claim.Parameters.AddWithValue("$limit", limit);
            using (SqliteDataReader reader = claim.ExecuteReader())
            {
                while (reader.Read())
                {
                    var request = new StoredRequest(reader.GetString(2), reader.GetString(3), Headers(reader, 4), (byte[])reader.GetValue(5));
                    claimed.Add(new ClaimedInvocation(reader.GetString(0), function, reader.GetInt32(1), request, Time(reader.GetInt64(6)),
                        reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10)));
                }
            }

            SqliteCommand attempt = writer.Command("INSERT OR REPLACE INTO attempts (invocation, n, started) VALUES ($id, $n, $now)");
            foreach (ClaimedInvocation c in claimed)
            {
                attempt.Parameters.Clear();
                attempt.Parameters.AddWithValue("$id", c.Id);
                attempt.Parameters.AddWithValue("$n", c.Attempt);
                attempt.Parameters.AddWithValue("$now", Ms(now));
                attempt.ExecuteNonQuery();
            }

            return claimed;
        });

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> RenewAsync(string owner, IEnumerable<string> ids, DateTimeOffset leaseUntil)
    {
        string list = JsonSerializer.Serialize(ids);
        return _writer.Enqueue<IReadOnlyList<string>>(writer =>
        {
            SqliteCommand renew = writer.Command("""
                UPDATE invocations SET lease_expiry = $until
                WHERE id IN (SELECT value FROM json_each($ids)) AND lease_owner = $owner AND status = 1
                RETURNING id, cancel
                """);
            renew.Parameters.AddWithValue("$owner", owner);
            renew.Parameters.AddWithValue("$ids", list);
            renew.Parameters.AddWithValue("$until", Ms(leaseUntil));
            var cancelled = new List<string>();
            using SqliteDataReader reader = renew.ExecuteReader();
            while (reader.Read())
            {
                if (reader.GetInt32(1) != 0)
                {
                    cancelled.Add(reader.GetString(0));
                }
            }

            return cancelled;
        });
    }

    /// <inheritdoc/>
    public Task<bool> CompleteAsync(Completion completion, string owner) => _writer.Enqueue(new CompleteOp(completion, owner));

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> RecoverAsync(DateTimeOffset now) =>
        _writer.Enqueue<IReadOnlyList<string>>(writer =>
        {
            SqliteCommand attempts = writer.Command("""
                UPDATE attempts SET ended = $now, error = 'interrupted: the platform running it stopped (its lease expired)', error_class = 'system'
                WHERE ended IS NULL AND invocation IN (SELECT id FROM invocations WHERE status = 1 AND lease_expiry < $now)
                """);
            attempts.Parameters.AddWithValue("$now", Ms(now));
            attempts.ExecuteNonQuery();
            SqliteCommand requeue = writer.Command("""
                UPDATE invocations SET status = CASE WHEN cancel = 1 THEN 5 ELSE 0 END, lease_owner = NULL, lease_expiry = NULL, due = $now,
                    ended = CASE WHEN cancel = 1 THEN $now END,
                    reason = CASE WHEN cancel = 1 THEN 'cancelled by request while running' ELSE reason END
                WHERE status = 1 AND lease_expiry < $now
                RETURNING function
                """);
            requeue.Parameters.AddWithValue("$now", Ms(now));
            return ReadStrings(requeue);
        });

    /// <inheritdoc/>
    public Task<int> FailFunctionAsync(string function, string reason, DateTimeOffset now) =>
        _writer.Enqueue(writer =>
        {
            SqliteCommand attempts = writer.Command("""
                UPDATE attempts SET ended = $now, error = $reason, error_class = 'system'
                WHERE ended IS NULL AND invocation IN (SELECT id FROM invocations WHERE function = $function AND status = 1)
                """);
            attempts.Parameters.AddWithValue("$now", Ms(now));
            attempts.Parameters.AddWithValue("$reason", reason);
            attempts.Parameters.AddWithValue("$function", function);
            attempts.ExecuteNonQuery();
            SqliteCommand fail = writer.Command("""
                UPDATE invocations SET status = 3, ended = $now, reason = $reason, condition = 'FunctionMissing', lease_owner = NULL, lease_expiry = NULL
                WHERE function = $function AND status IN (0, 1)
                """);
            fail.Parameters.AddWithValue("$now", Ms(now));
            fail.Parameters.AddWithValue("$reason", reason);
            fail.Parameters.AddWithValue("$function", function);
            return fail.ExecuteNonQuery();
        });

    /// <inheritdoc/>
    public Task<CancelOutcome?> CancelAsync(string id, DateTimeOffset now) =>
        _writer.Enqueue<CancelOutcome?>(writer =>
        {
            SqliteCommand queued = writer.Command("UPDATE invocations SET status = 5, ended = $now, reason = 'cancelled by request while queued' WHERE id = $id AND status = 0");
            queued.Parameters.AddWithValue("$id", id);
            queued.Parameters.AddWithValue("$now", Ms(now));
            if (queued.ExecuteNonQuery() > 0)
            {
                return new CancelOutcome(InvocationStatus.Cancelled, null, Changed: true);
            }

            SqliteCommand running = writer.Command("UPDATE invocations SET cancel = 1 WHERE id = $id AND status = 1 RETURNING lease_owner");
            running.Parameters.AddWithValue("$id", id);
            if (ReadStrings(running) is [var owner])
            {
                return new CancelOutcome(InvocationStatus.Running, owner, Changed: true);
            }

            SqliteCommand status = writer.Command("SELECT status FROM invocations WHERE id = $id");
            status.Parameters.AddWithValue("$id", id);
            return status.ExecuteScalar() is long value ? new CancelOutcome((InvocationStatus)value, null, Changed: false) : null;
        });

    /// <inheritdoc/>
    public Task<int> SweepAsync(DateTimeOffset endedBefore, int limit) =>
        _writer.Enqueue(writer =>
        {
            SqliteCommand sweep = writer.Command("""
                CREATE TEMP TABLE IF NOT EXISTS sweep (id TEXT PRIMARY KEY);
                DELETE FROM sweep;
                INSERT INTO sweep SELECT id FROM invocations
                WHERE ended < $before AND status >= 2
                  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.invocation = invocations.id AND d.status = 0)
                LIMIT $limit;
                DELETE FROM attempts WHERE invocation IN (SELECT id FROM sweep);
                DELETE FROM deliveries WHERE invocation IN (SELECT id FROM sweep);
                DELETE FROM invocations WHERE id IN (SELECT id FROM sweep);
                """);
            sweep.Parameters.AddWithValue("$before", Ms(endedBefore));
            sweep.Parameters.AddWithValue("$limit", limit);
            sweep.ExecuteNonQuery();
            SqliteCommand count = writer.Command("SELECT count(*) FROM sweep");
            return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });

    /// <inheritdoc/>
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit) =>
        _writer.Enqueue<IReadOnlyList<ClaimedDelivery>>(writer =>
        {
            SqliteCommand claim = writer.Command("""
                UPDATE deliveries SET lease_owner = $owner, lease_expiry = $until, attempts = attempts + 1
                WHERE rowid IN (SELECT rowid FROM deliveries WHERE status = 0 AND due <= $now AND (lease_expiry IS NULL OR lease_expiry < $now) ORDER BY due LIMIT $limit)
                RETURNING invocation, destination, record, attempts
                """);
            claim.Parameters.AddWithValue("$owner", owner);
            claim.Parameters.AddWithValue("$until", Ms(leaseUntil));
            claim.Parameters.AddWithValue("$now", Ms(now));
            claim.Parameters.AddWithValue("$limit", limit);
            var claimed = new List<ClaimedDelivery>();
            using SqliteDataReader reader = claim.ExecuteReader();
            while (reader.Read())
            {
                claimed.Add(new ClaimedDelivery(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetInt32(3)));
            }

            return claimed;
        });

    /// <inheritdoc/>
    public Task CompleteDeliveryAsync(string invocation, string owner, DeliveryStatus status, DateTimeOffset? due, string? error) =>
        _writer.Enqueue(writer =>
        {
            SqliteCommand done = writer.Command("""
                UPDATE deliveries SET status = $status, due = COALESCE($due, due), error = $error, lease_owner = NULL, lease_expiry = NULL
                WHERE invocation = $invocation AND lease_owner = $owner
                """);
            done.Parameters.AddWithValue("$status", (int)status);
            done.Parameters.AddWithValue("$due", due is { } d ? Ms(d) : DBNull.Value);
            done.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            done.Parameters.AddWithValue("$invocation", invocation);
            done.Parameters.AddWithValue("$owner", owner);
            return done.ExecuteNonQuery();
        });

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    internal static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    internal static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader.GetInt64(ordinal));

    internal static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Binds <paramref name="bytes"/> without copying when it is the start of an array (a pooled request body).</summary>
    internal static void Blob(SqliteCommand command, string name, ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > 0 && MemoryMarshal.TryGetArray(bytes, out ArraySegment<byte> segment) && segment.Offset == 0)
        {
            command.Parameters.Add(new SqliteParameter(name, SqliteType.Blob, bytes.Length) { Value = segment.Array });
            return;
        }

        command.Parameters.Add(new SqliteParameter(name, SqliteType.Blob) { Value = bytes.ToArray() });
    }

    internal static object HeadersJson(IReadOnlyDictionary<string, string> headers) =>
        headers.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(headers);

    internal static IReadOnlyDictionary<string, string> Headers(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? StoredRequest.NoHeaders : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(ordinal)) ?? StoredRequest.NoHeaders;

    private static List<string> ReadStrings(SqliteCommand command)
    {
        var values = new List<string>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
