using Microsoft.Data.Sqlite;

namespace Serval.Server.Monitoring.Logs;

/// <summary>One function's invocation records over a window: how many, how many failed (5xx), how many were cold.</summary>
/// <param name="Function">The function.</param>
/// <param name="Requests">Invocation records.</param>
/// <param name="Errors">Those answered with a 5xx code.</param>
/// <param name="Cold">Those that waited for an instance to start.</param>
public readonly record struct WindowStats(string Function, long Requests, long Errors, long Cold);

/// <summary>What the alert rules read from the invocation records: counts over a window and a percentile of request time.</summary>
public static class LogWindows
{
    /// <summary>Every function's counts over the records answered at or after <paramref name="since"/>.</summary>
    public static IReadOnlyList<WindowStats> Summaries(this FunctionLogs logs, DateTimeOffset since)
    {
        using SqliteConnection connection = logs.Open();
        using SqliteCommand read = connection.CreateCommand();
        read.CommandText = """
            SELECT function, COUNT(*), SUM(status >= 500), SUM(cold)
            FROM logs WHERE kind = 'invocation' AND time >= $since GROUP BY function
            """;
        read.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        using SqliteDataReader r = read.ExecuteReader();
        var stats = new List<WindowStats>();
        while (r.Read())
        {
            stats.Add(new WindowStats(r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? 0 : r.GetInt64(2), r.IsDBNull(3) ? 0 : r.GetInt64(3)));
        }

        return stats;
    }

    /// <summary>
    /// The <paramref name="quantile"/> of request time (queue plus compute: answered minus dispatched)
    /// of <paramref name="function"/>'s records since <paramref name="since"/>, seconds, by nearest
    /// rank (the 0.99 of 200 is the 198th); null with no records.
    /// </summary>
    public static double? RequestQuantile(this FunctionLogs logs, string function, DateTimeOffset since, double quantile, long count)
    {
        if (count <= 0)
        {
            return null;
        }

        using SqliteConnection connection = logs.Open();
        using SqliteCommand read = connection.CreateCommand();
        read.CommandText = """
            SELECT time - start FROM logs
            WHERE kind = 'invocation' AND function = $function AND time >= $since AND start IS NOT NULL
            ORDER BY 1 LIMIT 1 OFFSET $rank
            """;
        read.Parameters.AddWithValue("$function", function);
        read.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        read.Parameters.AddWithValue("$rank", Math.Max(0, (long)Math.Ceiling(quantile * count) - 1));
        return read.ExecuteScalar() is long ms ? ms / 1000.0 : null;
    }
}
