using Microsoft.Data.Sqlite;
using Serval.Core.Async;
using Serval.Core.Specs;

namespace Serval.Server.Async;

/// <summary>The two writes with most to do: storing an accepted invocation, and the end of a run.</summary>
public sealed partial class SqliteInvocationStore
{
    /// <summary>Stores one invocation, or finds the one its idempotency key already names (the accept path).</summary>
    private sealed class InsertOp(NewInvocation invocation) : WriteOp<InsertResult>
    {
        public override long Size => invocation.Request.Body.Length;

        protected override InsertResult Run(SqliteWriter writer) => Insert(writer, invocation);
    }

    /// <summary>Inserts <paramref name="n"/>; also used for a destination function's invocation inside a completion.</summary>
    private static InsertResult Insert(SqliteWriter writer, NewInvocation n)
    {
        SqliteCommand insert = writer.Command("""
            INSERT INTO invocations (id, function, version, status, created, due, source, parent, depth, idem_key, idem_hash, route, content_type, headers, payload)
            VALUES ($id, $function, $version, 0, $created, $created, $source, $parent, $depth, $key, $hash, $route, $type, $headers, $payload)
            ON CONFLICT (function, idem_key) WHERE idem_key IS NOT NULL DO NOTHING
            """);
        insert.Parameters.AddWithValue("$id", n.Id);
        insert.Parameters.AddWithValue("$function", n.Function);
        insert.Parameters.AddWithValue("$version", n.Version);
        insert.Parameters.AddWithValue("$created", Ms(n.Created));
        insert.Parameters.AddWithValue("$source", n.Source);
        insert.Parameters.AddWithValue("$parent", (object?)n.Parent ?? DBNull.Value);
        insert.Parameters.AddWithValue("$depth", n.Depth);
        insert.Parameters.AddWithValue("$key", (object?)n.IdempotencyKey ?? DBNull.Value);
        insert.Parameters.AddWithValue("$hash", (object?)n.RequestHash ?? DBNull.Value);
        insert.Parameters.AddWithValue("$route", n.Request.Route);
        insert.Parameters.AddWithValue("$type", n.Request.ContentType);
        insert.Parameters.AddWithValue("$headers", HeadersJson(n.Request.Headers));
        Blob(insert, "$payload", n.Request.Body);
        if (insert.ExecuteNonQuery() > 0)
        {
            return new InsertResult(n.Id, InvocationStatus.Queued, Replayed: false, KeyConflict: false);
        }

        SqliteCommand existing = writer.Command("SELECT id, status, idem_hash FROM invocations WHERE function = $function AND idem_key = $key");
        existing.Parameters.AddWithValue("$function", n.Function);
        existing.Parameters.AddWithValue("$key", n.IdempotencyKey);
        using SqliteDataReader reader = existing.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"invocation {n.Id} was neither stored nor found by its key");
        }

        byte[]? hash = reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2);
        bool conflict = hash is not null && n.RequestHash is not null && !hash.AsSpan().SequenceEqual(n.RequestHash);
        return new InsertResult(reader.GetString(0), (InvocationStatus)reader.GetInt32(1), Replayed: true, conflict);
    }

    /// <summary>The end of a run, written only under the run's lease (see <see cref="IInvocationStore.CompleteAsync"/>).</summary>
    private sealed class CompleteOp(Completion c, string owner) : WriteOp<bool>
    {
        protected override bool Run(SqliteWriter writer)
        {
            bool final = c.Status.IsFinal();
            SqliteCommand update = writer.Command("""
                UPDATE invocations SET
                    status = CASE WHEN cancel = 1 THEN 5 ELSE $status END,
                    due = COALESCE($due, due),
                    lease_owner = NULL, lease_expiry = NULL,
                    attempts = attempts - $unran,
                    counted = counted + $counted,
                    system_failures = CASE $system WHEN 1 THEN system_failures + 1 WHEN 0 THEN 0 ELSE system_failures END,
                    ended = CASE WHEN cancel = 1 OR $final THEN $ended END,
                    reason = CASE WHEN cancel = 1 THEN 'cancelled by request while running' ELSE $reason END,
                    condition = CASE WHEN cancel = 1 THEN NULL ELSE $condition END,
                    result_status = CASE WHEN $hasResult THEN $resultStatus ELSE result_status END,
                    result_type = CASE WHEN $hasResult THEN $resultType ELSE result_type END,
                    result_headers = CASE WHEN $hasResult THEN $resultHeaders ELSE result_headers END,
                    result = CASE WHEN $hasResult THEN $result ELSE result END
                WHERE id = $id AND status = 1 AND lease_owner = $owner
                RETURNING status
                """);
            var p = update.Parameters;
            p.AddWithValue("$status", (int)c.Status);
            p.AddWithValue("$due", c.Due is { } due ? Ms(due) : DBNull.Value);
            p.AddWithValue("$unran", c.Ran ? 0 : 1);
            p.AddWithValue("$counted", c.Ran && c.ErrorClass is ErrorClass.Function or ErrorClass.Timeout ? 1 : 0);
            p.AddWithValue("$system", !c.Ran ? 2 : c.ErrorClass == ErrorClass.System ? 1 : 0);
            p.AddWithValue("$final", final);
            p.AddWithValue("$ended", Ms(c.Ended));
            p.AddWithValue("$reason", (object?)c.Reason ?? DBNull.Value);
            p.AddWithValue("$condition", (object?)c.Condition ?? DBNull.Value);
            p.AddWithValue("$hasResult", c.Result is not null);
            p.AddWithValue("$resultStatus", c.Result?.StatusCode ?? 0);
            p.AddWithValue("$resultType", (object?)c.Result?.ContentType ?? DBNull.Value);
            p.AddWithValue("$resultHeaders", c.Result is { } r ? HeadersJson(r.Headers) : DBNull.Value);
            if (c.Result is { } result)
            {
                Blob(update, "$result", result.Body);
            }
            else
            {
                p.AddWithValue("$result", DBNull.Value);
            }

            p.AddWithValue("$id", c.Id);
            p.AddWithValue("$owner", owner);
            object? status = update.ExecuteScalar();
            if (status is not long written)
            {
                return false; // the lease was lost: another platform owns this invocation now
            }

            UpdateAttempt(writer);
            if ((InvocationStatus)written == c.Status && final && c.Delivery is { } delivery)
            {
                AddDelivery(writer, delivery);
            }

            return true;
        }

        private void UpdateAttempt(SqliteWriter writer)
        {
            SqliteCommand attempt = writer.Command(c.Ran
                ? "UPDATE attempts SET ended = $ended, error = $error, error_class = $class, instance = $instance WHERE invocation = $id AND n = $n"
                : "DELETE FROM attempts WHERE invocation = $id AND n = $n");
            attempt.Parameters.AddWithValue("$id", c.Id);
            attempt.Parameters.AddWithValue("$n", c.Attempt);
            if (c.Ran)
            {
                attempt.Parameters.AddWithValue("$ended", Ms(c.Ended));
                attempt.Parameters.AddWithValue("$error", (object?)c.Error ?? DBNull.Value);
                attempt.Parameters.AddWithValue("$class", c.ErrorClass is { } ec ? ec.Name() : DBNull.Value);
                attempt.Parameters.AddWithValue("$instance", c.Instance.Length > 0 ? c.Instance : DBNull.Value);
            }

            attempt.ExecuteNonQuery();
        }

        private void AddDelivery(SqliteWriter writer, NewDelivery delivery)
        {
            DeliveryStatus status = DeliveryStatus.Pending;
            string? target = null;
            if (delivery.Kind == DestinationKind.Function)
            {
                if (delivery.Submission is { } submission)
                {
                    target = Insert(writer, submission).Id;
                    status = DeliveryStatus.Delivered;
                }
                else
                {
                    status = DeliveryStatus.Failed;
                }
            }

            SqliteCommand insert = writer.Command("""
                INSERT OR REPLACE INTO deliveries (invocation, destination, kind, condition, status, attempts, due, record, target, error)
                VALUES ($id, $destination, $kind, $condition, $status, $attempts, $due, $record, $target, $error)
                """);
            var p = insert.Parameters;
            p.AddWithValue("$id", c.Id);
            p.AddWithValue("$destination", delivery.Destination);
            p.AddWithValue("$kind", delivery.Kind == DestinationKind.Function ? "function" : "webhook");
            p.AddWithValue("$condition", delivery.Condition);
            p.AddWithValue("$status", (int)status);
            p.AddWithValue("$attempts", delivery.Kind == DestinationKind.Function ? 1 : 0);
            p.AddWithValue("$due", Ms(c.Ended));
            p.AddWithValue("$record", delivery.Record);
            p.AddWithValue("$target", (object?)target ?? DBNull.Value);
            p.AddWithValue("$error", (object?)delivery.Error ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }
    }
}
