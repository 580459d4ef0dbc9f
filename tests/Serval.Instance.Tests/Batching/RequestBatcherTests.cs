using Serval.Core.Batching;
using Serval.Instance.Batching;
using Serval.TestSupport;

namespace Serval.Instance.Tests.Batching;

/// <summary>The batching loop on a fake clock: full batches, the delay, widths, cancellation, answers split back exactly.</summary>
public sealed class RequestBatcherTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(IReadOnlyList<string> Requests, int Width)> _batches = [];

    private RequestBatcher<string, string> Create(BatchingOptions options) =>
        new(options, _time, (requests, width, _) =>
        {
            lock (_batches)
            {
                _batches.Add((requests, width));
            }

            return Task.FromResult<IReadOnlyList<string>>(requests.Select(r => $"{r}:{requests.Count}").ToList());
        });

    [Fact]
    public async Task A_full_batch_runs_at_once_and_each_caller_gets_its_own_answer()
    {
        await using var batcher = Create(new BatchingOptions { Max = 3, Delay = TimeSpan.FromSeconds(10) });

        var answers = new[] { "a", "b", "c" }.Select(r => batcher.EnqueueAsync(r, 0, CancellationToken.None)).ToList();

        Assert.Equal(["a:3", "b:3", "c:3"], await Task.WhenAll(answers).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Single(_batches);
    }

    [Fact]
    public async Task A_partial_batch_waits_for_the_delay_on_the_clock()
    {
        await using var batcher = Create(new BatchingOptions { Max = 8, Delay = TimeSpan.FromMilliseconds(5) });

        Task<string> first = batcher.EnqueueAsync("a", 0, CancellationToken.None);
        Task<string> second = batcher.EnqueueAsync("b", 0, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(first.IsCompleted, "ran before its delay passed on the clock");

        _time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.Equal("a:2", await first.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("b:2", await second.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Mixed_widths_form_separate_batches_padded_to_their_widest()
    {
        await using var batcher = Create(new BatchingOptions { Max = 2, Delay = TimeSpan.FromSeconds(10) });

        var answers = new[] { ("n1", 100), ("w1", 300), ("n2", 180), ("w2", 320) }
            .Select(r => batcher.EnqueueAsync(r.Item1, r.Item2, CancellationToken.None)).ToList();
        await Task.WhenAll(answers).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Contains(_batches, b => b.Requests.SequenceEqual(["n1", "n2"]) && b.Width == 180);
        Assert.Contains(_batches, b => b.Requests.SequenceEqual(["w1", "w2"]) && b.Width == 320);
    }

    [Fact]
    public async Task A_request_cancelled_while_queued_is_dropped_and_the_rest_still_run()
    {
        await using var batcher = Create(new BatchingOptions { Max = 2, Delay = TimeSpan.FromSeconds(10) });
        using var cancel = new CancellationTokenSource();

        Task<string> gone = batcher.EnqueueAsync("gone", 0, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone.WaitAsync(TimeSpan.FromSeconds(5)));

        var answers = new[] { "x", "y" }.Select(r => batcher.EnqueueAsync(r, 0, CancellationToken.None)).ToList();
        Assert.Equal(["x:2", "y:2"], await Task.WhenAll(answers).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.DoesNotContain(_batches, b => b.Requests.Contains("gone"));
    }

    [Fact]
    public async Task A_failing_batch_fails_each_of_its_callers()
    {
        int batches = 0;
        await using var batcher = new RequestBatcher<string, string>(new BatchingOptions { Max = 2, Delay = TimeSpan.FromSeconds(10) }, _time,
            (_, _, _) =>
            {
                Interlocked.Increment(ref batches);
                throw new InvalidOperationException("the model failed");
            });

        Task<string>[] callers = [batcher.EnqueueAsync("a", 0, CancellationToken.None), batcher.EnqueueAsync("b", 0, CancellationToken.None)];

        foreach (Task<string> caller in callers)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => caller.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal("the model failed", error.Message);
        }

        Assert.Equal(1, batches);
    }

    [Fact]
    public async Task A_handler_answering_the_wrong_count_fails_the_batch_rather_than_mixing_answers()
    {
        await using var batcher = new RequestBatcher<string, string>(new BatchingOptions { Max = 2, Delay = TimeSpan.FromSeconds(10) }, _time,
            (_, _, _) => Task.FromResult<IReadOnlyList<string>>(["only one"]));

        var answers = new[] { "a", "b" }.Select(r => batcher.EnqueueAsync(r, 0, CancellationToken.None)).ToList();

        foreach (Task<string> answer in answers)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => answer.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Contains("returned 1 answers for 2 requests", error.Message);
        }
    }
}
