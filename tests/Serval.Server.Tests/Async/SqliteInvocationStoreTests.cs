using Serval.Server.Async;
using Serval.TestSupport;

namespace Serval.Server.Tests.Async;

/// <summary>The embedded store on its own: group commit, leases, fencing, recovery, sweeping.</summary>
public sealed class SqliteInvocationStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Paths.NewTempDir("serval-store");
    private SqliteInvocationStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new SqliteInvocationStore(Path.Combine(_dir, "async.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static NewInvocation New(string id, string function = "fn", string? key = null, byte[]? body = null, DateTimeOffset? at = null) =>
        new(id, function, 1, new StoredRequest("", "text/plain", StoredRequest.NoHeaders, body ?? "x"u8.ToArray()), at ?? T0, "http", null, 0, key, key is null ? null : [1, 2, 3]);

    [Fact]
    public async Task Insert_ManyAtOnce_AllCommitted()
    {
        InsertResult[] results = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => _store.InsertAsync(New($"id-{i}"))));

        Assert.All(results, r => Assert.False(r.Replayed));
        IReadOnlyList<InvocationView> first = await _store.ListAsync(new InvocationQuery("fn", InvocationStatus.Queued, 1000, null));
        IReadOnlyList<InvocationView> second = await _store.ListAsync(new InvocationQuery("fn", InvocationStatus.Queued, 1000, first[^1].Id));
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"id-{i}").Order(), first.Concat(second).Select(v => v.Id).Order());
    }

    [Fact]
    public async Task Insert_BodyAtTheStartOfALargerPooledArray_StoresOnlyItsLength()
    {
        byte[] pooled = new byte[100];
        "hello"u8.CopyTo(pooled);
        var invocation = New("pooled") with { Request = new StoredRequest("", "text/plain", StoredRequest.NoHeaders, pooled.AsMemory(0, 5)) };

        await _store.InsertAsync(invocation);
        ClaimedInvocation claimed = Assert.Single(await _store.ClaimAsync("fn", 10, "me", T0, T0.AddSeconds(10)));

        Assert.Equal("hello"u8.ToArray(), claimed.Request.Body.ToArray());
    }

    [Fact]
    public async Task Claim_TakesAtMostTheLimitOldestDueFirst_AndNotTwice()
    {
        for (int i = 0; i < 5; i++)
        {
            await _store.InsertAsync(New($"c{i}", at: T0.AddMilliseconds(i)));
        }

        IReadOnlyList<ClaimedInvocation> first = await _store.ClaimAsync("fn", 3, "a", T0.AddSeconds(1), T0.AddSeconds(11));
        IReadOnlyList<ClaimedInvocation> second = await _store.ClaimAsync("fn", 3, "b", T0.AddSeconds(1), T0.AddSeconds(11));

        Assert.Equal(["c0", "c1", "c2"], first.Select(c => c.Id).Order());
        Assert.Equal(["c3", "c4"], second.Select(c => c.Id).Order());
        Assert.All(first.Concat(second), c => Assert.Equal(1, c.Attempt));
        Assert.Empty(await _store.ClaimAsync("fn", 3, "c", T0.AddSeconds(1), T0.AddSeconds(11)));
    }

    [Fact]
    public async Task Complete_ByAnotherOwner_WritesNothing()
    {
        await _store.InsertAsync(New("f1"));
        await _store.ClaimAsync("fn", 1, "owner", T0, T0.AddSeconds(10));

        bool stranger = await _store.CompleteAsync(new Completion("f1", 1, T0.AddSeconds(1), InvocationStatus.Succeeded, null, null, null, ""), "stranger");
        bool owner = await _store.CompleteAsync(new Completion("f1", 1, T0.AddSeconds(1), InvocationStatus.Succeeded, null, null, null, "i-1"), "owner");

        Assert.False(stranger);
        Assert.True(owner);
        InvocationView view = (await _store.GetAsync("f1", 1024))!;
        Assert.Equal(InvocationStatus.Succeeded, view.Status);
        Assert.Equal("i-1", Assert.Single(view.Attempts).Instance);
    }

    [Fact]
    public async Task Recover_ExpiredLease_BackToQueuedWithTheRunMarkedInterrupted()
    {
        await _store.InsertAsync(New("r1"));
        await _store.ClaimAsync("fn", 1, "dead", T0, T0.AddSeconds(10));

        Assert.Empty(await _store.RecoverAsync(T0.AddSeconds(5)));
        Assert.Equal(["fn"], await _store.RecoverAsync(T0.AddSeconds(11)));

        InvocationView view = (await _store.GetAsync("r1", 1024))!;
        Assert.Equal(InvocationStatus.Queued, view.Status);
        Assert.StartsWith("interrupted", Assert.Single(view.Attempts).Error);
        ClaimedInvocation again = Assert.Single(await _store.ClaimAsync("fn", 1, "alive", T0.AddSeconds(11), T0.AddSeconds(21)));
        Assert.Equal(2, again.Attempt);
        Assert.False(await _store.CompleteAsync(new Completion("r1", 1, T0.AddSeconds(12), InvocationStatus.Succeeded, null, null, null, ""), "dead"));
    }

    [Fact]
    public async Task Renew_KeepsTheLeaseAndReportsCancelRequests()
    {
        await _store.InsertAsync(New("n1"));
        await _store.InsertAsync(New("n2"));
        await _store.ClaimAsync("fn", 2, "me", T0, T0.AddSeconds(10));
        CancelOutcome? cancel = await _store.CancelAsync("n2", T0.AddSeconds(1));

        IReadOnlyList<string> cancelled = await _store.RenewAsync("me", ["n1", "n2"], T0.AddSeconds(30));

        Assert.Equal(new CancelOutcome(InvocationStatus.Running, "me", true), cancel);
        Assert.Equal(["n2"], cancelled);
        Assert.Empty(await _store.RecoverAsync(T0.AddSeconds(20)));
    }

    [Fact]
    public async Task Sweep_DeletesOnlyEndedBeforeTheCut()
    {
        await _store.InsertAsync(New("old"));
        await _store.InsertAsync(New("new"));
        await _store.InsertAsync(New("waiting", function: "other"));
        await _store.ClaimAsync("fn", 2, "me", T0, T0.AddSeconds(10));
        await _store.CompleteAsync(new Completion("old", 1, T0.AddHours(1), InvocationStatus.Succeeded, null, null, null, ""), "me");
        await _store.CompleteAsync(new Completion("new", 1, T0.AddHours(3), InvocationStatus.Succeeded, null, null, null, ""), "me");

        Assert.Equal(1, await _store.SweepAsync(T0.AddHours(2), 100));

        Assert.Null(await _store.GetAsync("old", 0));
        Assert.NotNull(await _store.GetAsync("new", 0));
        Assert.NotNull(await _store.GetAsync("waiting", 0));
    }

    [Fact]
    public async Task Reopen_EverythingCommittedIsThere()
    {
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => _store.InsertAsync(New($"p{i}", key: $"k{i}"))));
        await _store.DisposeAsync();

        _store = new SqliteInvocationStore(Path.Combine(_dir, "async.db"));
        InsertResult replay = await _store.InsertAsync(New("other-id", key: "k42"));

        Assert.Equal(100, (await _store.ListAsync(new InvocationQuery(null, null, 1000, null))).Count);
        Assert.True(replay.Replayed);
        Assert.Equal("p42", replay.Id);
        Assert.False(replay.KeyConflict);
    }
}
