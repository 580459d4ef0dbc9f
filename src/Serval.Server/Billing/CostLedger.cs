using Microsoft.Data.Sqlite;
using Serval.Core.Billing;
using Serval.Server.Functions;

namespace Serval.Server.Billing;

/// <summary>
/// The bill, in <c>cost.db</c>: what every invocation and every idle provisioned second cost, by
/// minute, function, version and mode (<c>on-demand</c> or <c>provisioned</c>). Charges add up in
/// memory (a lock and a dictionary entry per invocation, no I/O on the request path) and are written
/// in one transaction by <see cref="Flush"/>, which the <see cref="CostMeter"/> calls every few seconds
/// and every read calls first. Amounts are kept in units of 10⁻¹² of the currency, so sums are exact integers.
/// </summary>
public sealed class CostLedger
{
    /// <summary>The mode of an invocation on an on-demand instance.</summary>
    public const string OnDemand = "on-demand";

    /// <summary>The mode of an invocation on a provisioned instance, and of idle provisioned time.</summary>
    public const string Provisioned = "provisioned";

    private const decimal Scale = 1_000_000_000_000m;
    private readonly object _gate = new();
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private Dictionary<(long Minute, string Function, int Version, string Mode), Bucket> _pending = [];

    static CostLedger() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating) the ledger at <paramref name="path"/>, charging by <paramref name="prices"/>.</summary>
    public CostLedger(string path, PriceSheet prices, TimeProvider time)
    {
        Prices = prices;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        using SqliteConnection connection = Open();
        using SqliteCommand create = connection.CreateCommand();
        create.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS charges (
                minute INTEGER NOT NULL, function TEXT NOT NULL, version INTEGER NOT NULL, mode TEXT NOT NULL,
                requests INTEGER NOT NULL, billed_ms INTEGER NOT NULL, idle_ms INTEGER NOT NULL,
                compute INTEGER NOT NULL, request INTEGER NOT NULL, idle INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS charges_minute ON charges(minute);
            """;
        create.ExecuteNonQuery();
    }

    /// <summary>The price sheet charges are made with.</summary>
    public PriceSheet Prices { get; }

    /// <summary>Charges one invocation of <paramref name="version"/> that ran <paramref name="billedMs"/> (billed) on an instance.</summary>
    public void Invocation(DeployedVersion version, long billedMs, bool provisioned)
    {
        Reserved reserved = ReservedBy(version);
        decimal compute = CostModel.Compute(Prices, reserved, billedMs);
        lock (_gate)
        {
            Bucket bucket = BucketFor(version, provisioned ? Provisioned : OnDemand);
            bucket.Requests++;
            bucket.BilledMs += billedMs;
            bucket.Compute += compute;
            bucket.Request += Prices.Request;
        }
    }

    /// <summary>Charges <paramref name="seconds"/> of idle provisioned time of <paramref name="version"/> (instances × seconds).</summary>
    public void Idle(DeployedVersion version, double seconds)
    {
        decimal amount = CostModel.Idle(Prices, ReservedBy(version), (decimal)seconds);
        lock (_gate)
        {
            Bucket bucket = BucketFor(version, Provisioned);
            bucket.IdleSeconds += seconds;
            bucket.Idle += amount;
        }
    }

    /// <summary>Writes the charges made since the last flush.</summary>
    public void Flush()
    {
        Dictionary<(long Minute, string Function, int Version, string Mode), Bucket> pending;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            pending = _pending;
            _pending = [];
        }

        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO charges VALUES ($minute, $function, $version, $mode, $requests, $billed, $idleMs, $compute, $request, $idle)";
        foreach (var ((minute, function, version, mode), b) in pending)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$minute", minute);
            insert.Parameters.AddWithValue("$function", function);
            insert.Parameters.AddWithValue("$version", version);
            insert.Parameters.AddWithValue("$mode", mode);
            insert.Parameters.AddWithValue("$requests", b.Requests);
            insert.Parameters.AddWithValue("$billed", b.BilledMs);
            insert.Parameters.AddWithValue("$idleMs", (long)Math.Round(b.IdleSeconds * 1000));
            insert.Parameters.AddWithValue("$compute", Units(b.Compute));
            insert.Parameters.AddWithValue("$request", Units(b.Request));
            insert.Parameters.AddWithValue("$idle", Units(b.Idle));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>
    /// The charges from <paramref name="since"/>'s minute on (everything when null), summed by the
    /// dimensions in <paramref name="by"/> (<c>function</c>, <c>version</c>, <c>mode</c>; none: one total row).
    /// </summary>
    public IReadOnlyList<CostRow> Read(DateTimeOffset? since, IReadOnlySet<string> by)
    {
        Flush();
        bool byFunction = by.Contains("function") || by.Contains("version");
        string group = string.Join(", ", new[] { byFunction ? "function" : null, by.Contains("version") ? "version" : null, by.Contains("mode") ? "mode" : null }.Where(c => c is not null));
        string columns = $"{(byFunction ? "function" : "NULL")}, {(by.Contains("version") ? "version" : "NULL")}, {(by.Contains("mode") ? "mode" : "NULL")}";
        using SqliteConnection connection = Open();
        using SqliteCommand read = connection.CreateCommand();
        read.CommandText = $"""
            SELECT {columns}, SUM(requests), SUM(billed_ms), SUM(idle_ms), SUM(compute), SUM(request), SUM(idle)
            FROM charges WHERE minute >= $since {(group.Length > 0 ? "GROUP BY " + group + " ORDER BY " + group : "")}
            """;
        read.Parameters.AddWithValue("$since", since is { } s ? Minute(s) : long.MinValue);
        using SqliteDataReader r = read.ExecuteReader();
        var rows = new List<CostRow>();
        while (r.Read())
        {
            if (r.IsDBNull(3))
            {
                continue; // no charges at all: SUM over nothing
            }

            rows.Add(new CostRow(
                r.IsDBNull(0) ? null : r.GetString(0),
                r.IsDBNull(1) ? null : r.GetInt32(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                r.GetInt64(3), r.GetInt64(4), r.GetInt64(5) / 1000.0,
                r.GetInt64(6) / Scale, r.GetInt64(7) / Scale, r.GetInt64(8) / Scale));
        }

        return rows;
    }

    private static long Units(decimal amount) => (long)decimal.Round(amount * Scale);

    private static long Minute(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    private static Reserved ReservedBy(DeployedVersion version) =>
        new(version.Spec.Resources.Cpu, version.Spec.Resources.MemoryMb, version.Spec.Resources.Gpu);

    private Bucket BucketFor(DeployedVersion version, string mode)
    {
        var key = (Minute(_time.GetUtcNow()), version.Function, version.Version, mode);
        if (!_pending.TryGetValue(key, out Bucket? bucket))
        {
            _pending[key] = bucket = new Bucket();
        }

        return bucket;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 5000;";
        busy.ExecuteNonQuery();
        return connection;
    }

    private sealed class Bucket
    {
        public long Requests;
        public long BilledMs;
        public double IdleSeconds;
        public decimal Compute;
        public decimal Request;
        public decimal Idle;
    }
}

/// <summary>One row of the bill.</summary>
/// <param name="Function">The function (null when not grouped by it).</param>
/// <param name="Version">The version (null when not grouped by it).</param>
/// <param name="Mode"><c>on-demand</c> or <c>provisioned</c> (null when not grouped by it).</param>
/// <param name="Requests">Invocations charged.</param>
/// <param name="BilledMs">Their billed time.</param>
/// <param name="IdleSeconds">Idle provisioned instance-seconds charged.</param>
/// <param name="Compute">What the billed time cost.</param>
/// <param name="RequestCost">What the requests cost.</param>
/// <param name="Idle">What the idle provisioned time cost.</param>
public sealed record CostRow(string? Function, int? Version, string? Mode, long Requests, long BilledMs, double IdleSeconds, decimal Compute, decimal RequestCost, decimal Idle)
{
    /// <summary>Everything.</summary>
    public decimal Total => Compute + RequestCost + Idle;
}
