namespace Serval.Server.Async;

/// <summary>
/// The tables: <c>invocations</c> (request, status, lease, result), <c>attempts</c> (one row per run),
/// <c>deliveries</c> (one per ended invocation with a destination). Indexes serve the claim (function,
/// status, due), the poll for due work (status, due), idempotency keys and the retention sweep.
/// </summary>
public sealed partial class SqliteInvocationStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS invocations (
            id TEXT NOT NULL UNIQUE,
            function TEXT NOT NULL,
            version INTEGER NOT NULL,
            status INTEGER NOT NULL,
            created INTEGER NOT NULL,
            due INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            counted INTEGER NOT NULL DEFAULT 0,
            system_failures INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_expiry INTEGER,
            cancel INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL,
            parent TEXT,
            depth INTEGER NOT NULL DEFAULT 0,
            idem_key TEXT,
            idem_hash BLOB,
            route TEXT NOT NULL,
            content_type TEXT NOT NULL,
            headers TEXT,
            payload BLOB NOT NULL,
            ended INTEGER,
            reason TEXT,
            condition TEXT,
            result_status INTEGER,
            result_type TEXT,
            result_headers TEXT,
            result BLOB);
        CREATE UNIQUE INDEX IF NOT EXISTS invocations_key ON invocations(function, idem_key) WHERE idem_key IS NOT NULL;
        CREATE INDEX IF NOT EXISTS invocations_queue ON invocations(function, status, due);
        CREATE INDEX IF NOT EXISTS invocations_due ON invocations(status, due);
        CREATE INDEX IF NOT EXISTS invocations_ended ON invocations(ended) WHERE ended IS NOT NULL;
        CREATE TABLE IF NOT EXISTS attempts (
            invocation TEXT NOT NULL,
            n INTEGER NOT NULL,
            started INTEGER NOT NULL,
            ended INTEGER,
            error TEXT,
            error_class TEXT,
            instance TEXT,
            PRIMARY KEY (invocation, n)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS deliveries (
            invocation TEXT NOT NULL UNIQUE,
            destination TEXT NOT NULL,
            kind TEXT NOT NULL,
            condition TEXT NOT NULL,
            status INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            due INTEGER NOT NULL,
            lease_owner TEXT,
            lease_expiry INTEGER,
            record BLOB NOT NULL,
            target TEXT,
            error TEXT);
        CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(status, due);
        """;
}
