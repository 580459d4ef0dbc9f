using Microsoft.Data.Sqlite;
using Serval.Core.Security;

namespace Serval.Server.Security;

/// <summary>The keys table of <see cref="SecurityDatabase"/>: each key's record and the hash of its text.</summary>
public sealed class KeyStore(SecurityDatabase database)
{
    /// <summary>Every key with its hash.</summary>
    public IReadOnlyList<(ApiKey Key, byte[] Hash)> LoadAll()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = SecurityDatabase.Command(connection, "SELECT id, hash, label, scopes, functions, created, expires, rpm, concurrency FROM keys ORDER BY created, id");
        using SqliteDataReader reader = command.ExecuteReader();
        var keys = new List<(ApiKey, byte[])>();
        while (reader.Read())
        {
            var key = new ApiKey(
                reader.GetString(0),
                reader.GetString(2),
                (Scope)reader.GetInt32(3),
                reader.GetString(4).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => new FunctionPattern(p)).ToList(),
                SecurityDatabase.Time(reader.GetString(5)),
                reader.IsDBNull(6) ? null : SecurityDatabase.Time(reader.GetString(6)),
                new KeyQuota(reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetInt32(8)));
            keys.Add((key, (byte[])reader.GetValue(1)));
        }

        return keys;
    }

    /// <summary>Adds a key.</summary>
    public void Insert(ApiKey key, byte[] hash)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = SecurityDatabase.Command(connection,
            "INSERT INTO keys (id, hash, label, scopes, functions, created, expires, rpm, concurrency) VALUES ($id, $hash, $label, $scopes, $functions, $created, $expires, $rpm, $concurrency)",
            ("$id", key.Id), ("$hash", hash), ("$label", key.Label), ("$scopes", (int)key.Scopes),
            ("$functions", string.Join('\n', key.Functions.Select(f => f.Text))), ("$created", SecurityDatabase.Text(key.Created)),
            ("$expires", key.Expires is { } e ? SecurityDatabase.Text(e) : null), ("$rpm", key.Quota.RequestsPerMinute), ("$concurrency", key.Quota.Concurrency));
        command.ExecuteNonQuery();
    }

    /// <summary>Removes a key; false when there was none with <paramref name="id"/>.</summary>
    public bool Delete(string id)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = SecurityDatabase.Command(connection, "DELETE FROM keys WHERE id = $id", ("$id", id));
        return command.ExecuteNonQuery() > 0;
    }
}
