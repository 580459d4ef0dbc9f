using Serval.Core.Alerts;
using Serval.Server.Alerts;
using Serval.Server.Async;
using Serval.Server.Monitoring;
using Serval.Server.Monitoring.Logs;
using Serval.TestSupport;

namespace Serval.Server.Tests.Monitoring;

/// <summary>What the alert loop measures, from the real log database, async store and metrics (no platform): one reading per rule and function.</summary>
public sealed class AlertObserverTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Paths.NewTempDir("serval-observer");
    private FunctionLogs _logs = null!;
    private SqliteInvocationStore _store = null!;
    private readonly Metrics _metrics = new();

    public async Task InitializeAsync()
    {
        _logs = new FunctionLogs(Path.Combine(_dir, "logs.db"), new LogOptions { Retention = TimeSpan.FromDays(3650) }, TimeProvider.System);
        await _logs.StartAsync(CancellationToken.None);
        _store = new SqliteInvocationStore(Path.Combine(_dir, "async.db"));
    }

    public async Task DisposeAsync()
    {
        await _logs.DisposeAsync();
        await _store.DisposeAsync();
    }

    private void Record(string function, DateTimeOffset at, int status, double requestMs, bool cold) =>
        _logs.Append(new LogRecord { Time = at, Function = function, Version = 1, Instance = "i", Id = Guid.NewGuid().ToString(), Start = at.AddMilliseconds(-requestMs), DurationMs = requestMs, BilledMs = (long)requestMs, Cold = cold, Status = status });

    [Fact]
    public async Task Read_InvocationRecords_GiveErrorRateP99AndColdStartRatePerFunction_InTheWindowOnly()
    {
        // "ocr": 100 calls in the last minute, 10 failed (5xx), 5 cold, request times 1..100 ms;
        // an old failure outside the window; "hello": 4 calls, all fine.
        for (int i = 1; i <= 100; i++)
        {
            Record("ocr", Now.AddSeconds(-i * 0.5), i <= 10 ? 503 : 200, i, cold: i > 95);
        }

        Record("ocr", Now.AddMinutes(-10), 500, 5000, cold: false);
        for (int i = 0; i < 4; i++)
        {
            Record("hello", Now.AddSeconds(-i), i == 0 ? 429 : 200, 3, cold: false);
        }

        AlertRule[] rules =
        [
            new() { Name = "errors", Signal = AlertSignal.ErrorRate, Above = 0.05, Window = TimeSpan.FromMinutes(1) },
            new() { Name = "slow", Signal = AlertSignal.P99, Above = 1, Window = TimeSpan.FromMinutes(1), MinRequests = 10 },
            new() { Name = "cold", Signal = AlertSignal.ColdStartRate, Above = 0.2, Window = TimeSpan.FromMinutes(1) },
        ];
        var observer = new AlertObserver(_logs, _store, _metrics);
        IReadOnlyList<AlertReading> readings = [];
        await Eventually.TrueAsync(async () => (readings = await observer.ReadAsync(rules, Now)).Count(r => r.Function == "ocr") == 3 && readings.Any(r => r.Function == "hello" && r.Rule == "errors" && r.Requests == 4), "the records written", TimeSpan.FromSeconds(20));

        Assert.Equal(new AlertReading("errors", "ocr", 0.1, 100), readings.Single(r => r.Rule == "errors" && r.Function == "ocr"));
        Assert.Equal(new AlertReading("cold", "ocr", 0.05, 100), readings.Single(r => r.Rule == "cold" && r.Function == "ocr"));
        // Nearest rank: the 99th of 100 request times 1..100 ms is 99 ms.
        Assert.Equal(new AlertReading("slow", "ocr", 0.099, 100), readings.Single(r => r.Rule == "slow" && r.Function == "ocr"));
        // A 429 is not a 5xx; a p99 over fewer calls than min_requests is not read at all.
        Assert.Equal(0, readings.Single(r => r.Rule == "errors" && r.Function == "hello").Value);
        Assert.DoesNotContain(readings, r => r.Rule == "slow" && r.Function == "hello");
    }

    [Fact]
    public async Task Read_AsyncSignals_OldestQueuedAge_AndFailuresCountedOnlyWithinTheWindow()
    {
        await _store.InsertAsync(new NewInvocation("job-1", "jobs", 1, new StoredRequest("", "text/plain", StoredRequest.NoHeaders, "x"u8.ToArray()), Now.AddSeconds(-90), "api", null, 0, null, null));
        AlertRule[] rules =
        [
            new() { Name = "old", Signal = AlertSignal.QueueAge, Above = 60, For = TimeSpan.Zero },
            new() { Name = "failed", Signal = AlertSignal.AsyncFailures, Above = 0, Window = TimeSpan.FromMinutes(5), For = TimeSpan.Zero },
        ];
        var observer = new AlertObserver(_logs, _store, _metrics);

        // Two failures before the first evaluation: the counters started with the platform, so both are in the window.
        _metrics.AsyncEnded("jobs", 1, "Failed");
        _metrics.AsyncEnded("jobs", 2, "Expired");
        _metrics.AsyncEnded("jobs", 1, "Succeeded");
        IReadOnlyList<AlertReading> first = await observer.ReadAsync(rules, Now);
        // One more failure later: by 8.5 min the first two are older than the 5-minute window.
        await observer.ReadAsync(rules, Now.AddMinutes(3));
        _metrics.AsyncEnded("jobs", 1, "Failed");
        IReadOnlyList<AlertReading> later = await observer.ReadAsync(rules, Now.AddMinutes(8.5));

        Assert.Equal(new AlertReading("old", "jobs", 90, 0), first.Single(r => r.Rule == "old"));
        Assert.Equal(2, first.Single(r => r.Rule == "failed").Value);
        Assert.Equal(1, later.Single(r => r.Rule == "failed").Value);
    }
}
