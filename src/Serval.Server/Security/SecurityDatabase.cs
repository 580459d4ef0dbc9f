using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Serval.Server.Security;

/// <summary>
/// <c>DATA/security.db</c>: the keys (hashes, never secrets) and the audit log, in one SQLite file in
/// WAL mode like the other stores. A file of its own rather than tables in <c>serval.db</c>: the
/// function store is a seam with a cluster implementation coming, while keys and audit are read on
/// every call from memory and written rarely; keeping them apart keeps each store's schema its own.
/// </summary>
public sealed class SecurityDatabase
{
    private readonly string _connectionString;

    static SecurityDatabase() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating) the database at <paramref name="path"/>.</summary>
    public SecurityDatabase(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS keys (
                id TEXT PRIMARY KEY,
                hash BLOB NOT NULL,
                label TEXT NOT NULL,
                scopes INTEGER NOT NULL,
                functions TEXT NOT NULL,
                created TEXT NOT NULL,
                expires TEXT,
                rpm INTEGER,
                concurrency INTEGER);
            CREATE TABLE IF NOT EXISTS audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                key TEXT,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                status INTEGER NOT NULL,
                outcome TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>An open connection.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>A command on <paramref name="connection"/> with <paramref name="parameters"/> (<c>$name</c>, value; null as NULL).</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>A time as stored: ISO 8601 round-trip, UTC (sorts as text).</summary>
    public static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A stored time.</summary>
    public static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
