using Microsoft.Data.Sqlite;
using Serval.Server.Triggers;

namespace Serval.Server.Async;

/// <summary>The last fire of each trigger: one row per (function, trigger), only ever moved forward.</summary>
public sealed partial class SqliteInvocationStore
{
    private const string TriggerSchema = """
        CREATE TABLE IF NOT EXISTS trigger_fires (
            function TEXT NOT NULL,
            trigger INTEGER NOT NULL,
            scheduled INTEGER NOT NULL,
            invocation TEXT NOT NULL,
            fired INTEGER NOT NULL,
            PRIMARY KEY (function, trigger)) WITHOUT ROWID;
        """;

    /// <inheritdoc/>
    public Task<IReadOnlyList<TriggerFire>> TriggerFiresAsync()
    {
        using SqliteConnection connection = OpenRead();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT function, trigger, scheduled, invocation, fired FROM trigger_fires";
        var fires = new List<TriggerFire>();
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            fires.Add(new TriggerFire(reader.GetString(0), reader.GetInt32(1), Time(reader.GetInt64(2)), reader.GetString(3), Time(reader.GetInt64(4))));
        }

        return Task.FromResult<IReadOnlyList<TriggerFire>>(fires);
    }

    /// <inheritdoc/>
    public Task RecordFireAsync(TriggerFire fire) =>
        _writer.Enqueue(writer =>
        {
            // Another platform may have recorded a later fire of the same trigger meanwhile: keep the later.
            SqliteCommand upsert = writer.Command("""
                INSERT INTO trigger_fires (function, trigger, scheduled, invocation, fired) VALUES ($function, $trigger, $scheduled, $invocation, $fired)
                ON CONFLICT (function, trigger) DO UPDATE SET scheduled = excluded.scheduled, invocation = excluded.invocation, fired = excluded.fired
                WHERE excluded.scheduled > trigger_fires.scheduled
                """);
            upsert.Parameters.AddWithValue("$function", fire.Function);
            upsert.Parameters.AddWithValue("$trigger", fire.Trigger);
            upsert.Parameters.AddWithValue("$scheduled", Ms(fire.Scheduled));
            upsert.Parameters.AddWithValue("$invocation", fire.Invocation);
            upsert.Parameters.AddWithValue("$fired", Ms(fire.Fired));
            upsert.ExecuteNonQuery();
            return true;
        });
}
