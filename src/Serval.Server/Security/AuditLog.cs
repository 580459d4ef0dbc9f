using Microsoft.Data.Sqlite;

namespace Serval.Server.Security;

/// <summary>The audit table of <see cref="SecurityDatabase"/>: appended to, read by time.</summary>
public sealed class AuditLog(SecurityDatabase database)
{
    /// <summary>The most one read returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Appends a record (its <see cref="AuditRecord.Seq"/> is assigned).</summary>
    public void Append(AuditRecord record)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = SecurityDatabase.Command(connection,
            "INSERT INTO audit (at, key, action, target, status, outcome) VALUES ($at, $key, $action, $target, $status, $outcome)",
            ("$at", SecurityDatabase.Text(record.At)), ("$key", record.Key), ("$action", record.Action), ("$target", record.Target),
            ("$status", record.Status), ("$outcome", record.Outcome));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Records at or after <paramref name="since"/>, oldest first, at most <paramref name="limit"/>;
    /// without <paramref name="since"/>, the latest <paramref name="limit"/> (still oldest first).
    /// </summary>
    public IReadOnlyList<AuditRecord> Read(DateTimeOffset? since, int limit)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = since is { } from
            ? SecurityDatabase.Command(connection, "SELECT seq, at, key, action, target, status, outcome FROM audit WHERE at >= $since ORDER BY seq LIMIT $limit", ("$since", SecurityDatabase.Text(from)), ("$limit", limit))
            : SecurityDatabase.Command(connection, "SELECT * FROM (SELECT seq, at, key, action, target, status, outcome FROM audit ORDER BY seq DESC LIMIT $limit) ORDER BY seq", ("$limit", limit));
        using SqliteDataReader reader = command.ExecuteReader();
        var records = new List<AuditRecord>();
        while (reader.Read())
        {
            records.Add(new AuditRecord(reader.GetInt64(0), SecurityDatabase.Time(reader.GetString(1)), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetInt32(5), reader.GetString(6)));
        }

        return records;
    }
}
