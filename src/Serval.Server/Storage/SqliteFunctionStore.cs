using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Serval.Node.Packages;
using Serval.Server.Releases;

namespace Serval.Server.Storage;

/// <summary>The embedded store: one SQLite file in WAL mode (readers never block the writer).</summary>
public sealed class SqliteFunctionStore : IFunctionStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
    private readonly string _connectionString;

    static SqliteFunctionStore() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating and migrating) the database at <paramref name="path"/>.</summary>
    public SqliteFunctionStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        using SqliteConnection connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS functions (
                name TEXT PRIMARY KEY,
                created TEXT NOT NULL,
                updated TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS versions (
                function TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                digest TEXT NOT NULL,
                spec TEXT NOT NULL,
                files TEXT NOT NULL,
                metadata TEXT NOT NULL,
                created TEXT NOT NULL,
                PRIMARY KEY (function, version));
            CREATE TABLE IF NOT EXISTS aliases (
                function TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
                alias TEXT NOT NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (function, alias));
            CREATE TABLE IF NOT EXISTS releases (
                function TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
                id INTEGER NOT NULL,
                record TEXT NOT NULL,
                PRIMARY KEY (function, id));
            """);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<(FunctionRecord Function, IReadOnlyList<VersionRecord> Versions, IReadOnlyDictionary<string, int> Aliases)>> LoadAllAsync(CancellationToken cancellationToken)
    {
        using SqliteConnection connection = Open();
        var functions = new List<FunctionRecord>();
        using (SqliteCommand command = Command(connection, "SELECT name, created, updated FROM functions ORDER BY name"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                functions.Add(new FunctionRecord(reader.GetString(0), Time(reader.GetString(1)), Time(reader.GetString(2))));
            }
        }

        var versions = new Dictionary<string, List<VersionRecord>>();
        using (SqliteCommand command = Command(connection, "SELECT function, version, digest, spec, files, metadata, created FROM versions ORDER BY function, version"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var record = new VersionRecord(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3),
                    JsonSerializer.Deserialize<List<PackageFile>>(reader.GetString(4), Json) ?? [], reader.GetString(5), Time(reader.GetString(6)));
                (versions.TryGetValue(record.Function, out var list) ? list : versions[record.Function] = []).Add(record);
            }
        }

        var aliases = new Dictionary<string, Dictionary<string, int>>();
        using (SqliteCommand command = Command(connection, "SELECT function, alias, version FROM aliases"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                string function = reader.GetString(0);
                (aliases.TryGetValue(function, out var map) ? map : aliases[function] = [])[reader.GetString(1)] = reader.GetInt32(2);
            }
        }

        IReadOnlyList<(FunctionRecord, IReadOnlyList<VersionRecord>, IReadOnlyDictionary<string, int>)> result = functions
            .Select(f => (f, (IReadOnlyList<VersionRecord>)(versions.GetValueOrDefault(f.Name) ?? []), (IReadOnlyDictionary<string, int>)(aliases.GetValueOrDefault(f.Name) ?? [])))
            .ToList();
        return Task.FromResult(result);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <c>prod</c> is written only when missing: for a new function, the new version; in a store
    /// from before releases, the version <c>latest</c> pointed at until now (it served then).
    /// </remarks>
    public Task<VersionRecord> AddVersionAsync(string function, string digest, string specText, IReadOnlyList<PackageFile> files, string metadataJson, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        string stamp = now.ToString("O", CultureInfo.InvariantCulture);
        using (SqliteCommand upsert = Command(connection, """
            INSERT INTO functions (name, created, updated) VALUES ($name, $now, $now)
            ON CONFLICT(name) DO UPDATE SET updated = $now
            """))
        {
            upsert.Parameters.AddWithValue("$name", function);
            upsert.Parameters.AddWithValue("$now", stamp);
            upsert.ExecuteNonQuery();
        }

        int version;
        using (SqliteCommand next = Command(connection, "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE function = $name"))
        {
            next.Parameters.AddWithValue("$name", function);
            version = Convert.ToInt32(next.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        using (SqliteCommand insert = Command(connection, """
            INSERT INTO versions (function, version, digest, spec, files, metadata, created)
            VALUES ($name, $version, $digest, $spec, $files, $metadata, $now);
            INSERT INTO aliases (function, alias, version)
            SELECT $name, 'prod', COALESCE((SELECT version FROM aliases WHERE function = $name AND alias = 'latest'), $version) WHERE true
            ON CONFLICT(function, alias) DO NOTHING;
            INSERT INTO aliases (function, alias, version) VALUES ($name, 'latest', $version)
            ON CONFLICT(function, alias) DO UPDATE SET version = $version;
            """))
        {
            insert.Parameters.AddWithValue("$name", function);
            insert.Parameters.AddWithValue("$version", version);
            insert.Parameters.AddWithValue("$digest", digest);
            insert.Parameters.AddWithValue("$spec", specText);
            insert.Parameters.AddWithValue("$files", JsonSerializer.Serialize(files, Json));
            insert.Parameters.AddWithValue("$metadata", metadataJson);
            insert.Parameters.AddWithValue("$now", stamp);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.FromResult(new VersionRecord(function, version, digest, specText, files, metadataJson, now));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ReleaseRecord>> LoadReleasesAsync(CancellationToken cancellationToken)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = Command(connection, "SELECT record FROM releases ORDER BY function, id");
        using SqliteDataReader reader = command.ExecuteReader();
        var releases = new List<ReleaseRecord>();
        while (reader.Read())
        {
            releases.Add(JsonSerializer.Deserialize<ReleaseRecord>(reader.GetString(0), Json)
                ?? throw new InvalidDataException("a stored release record is empty"));
        }

        return Task.FromResult<IReadOnlyList<ReleaseRecord>>(releases);
    }

    /// <inheritdoc/>
    public Task SaveReleaseAsync(ReleaseRecord release, int? serving, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using (SqliteCommand upsert = Command(connection, """
            INSERT INTO releases (function, id, record) VALUES ($name, $id, $record)
            ON CONFLICT(function, id) DO UPDATE SET record = $record
            """))
        {
            upsert.Parameters.AddWithValue("$name", release.Function);
            upsert.Parameters.AddWithValue("$id", release.Id);
            upsert.Parameters.AddWithValue("$record", JsonSerializer.Serialize(release, Json));
            upsert.ExecuteNonQuery();
        }

        if (serving is { } version)
        {
            using SqliteCommand alias = Command(connection, """
                INSERT INTO aliases (function, alias, version) VALUES ($name, 'prod', $version)
                ON CONFLICT(function, alias) DO UPDATE SET version = $version
                """);
            alias.Parameters.AddWithValue("$name", release.Function);
            alias.Parameters.AddWithValue("$version", version);
            alias.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<bool> DeleteFunctionAsync(string function, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand delete = Command(connection, """
            DELETE FROM releases WHERE function = $name;
            DELETE FROM aliases WHERE function = $name;
            DELETE FROM versions WHERE function = $name;
            DELETE FROM functions WHERE name = $name;
            """);
        delete.Parameters.AddWithValue("$name", function);
        return Task.FromResult(delete.ExecuteNonQuery() > 0);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
