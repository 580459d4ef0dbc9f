using Serval.Core.Batching;

namespace Serval.Instance.Batching;

/// <summary>
/// The instance's dynamic batcher: invocations wait in a queue; one loop asks
/// <see cref="BatchFormer.Decide"/> what to do and runs the batches it forms, one at a time (the next
/// batch forms while one runs), handing each caller its own answer.
/// </summary>
/// <remarks>
/// Batches run one at a time because a batch already uses the instance's cores; a queue that
/// fills while one runs is full when it ends, and the next runs at once. A caller whose token is
/// cancelled while its request waits is dropped before it is batched and gets its cancellation.
/// </remarks>
internal sealed class RequestBatcher<TRequest, TResponse> : IAsyncDisposable
{
    /// <summary>Runs one batch: the requests and the width they are padded to, one answer per request in order.</summary>
    public delegate Task<IReadOnlyList<TResponse>> BatchRunner(IReadOnlyList<TRequest> requests, int paddedWidth, CancellationToken cancellationToken);

    private readonly BatchingOptions _options;
    private readonly TimeProvider _time;
    private readonly BatchRunner _run;
    private readonly List<Waiting> _queue = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _wake = NewWake();
    private long _nextId;
    private long _batches;
    private long _requests;

    public RequestBatcher(BatchingOptions options, TimeProvider time, BatchRunner run)
    {
        _options = options;
        _time = time;
        _run = run;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Batches completed so far, and the requests they held (for tests and logs).</summary>
    public (long Batches, long Requests) Counts => (Interlocked.Read(ref _batches), Interlocked.Read(ref _requests));

    /// <summary>Queues <paramref name="request"/> (padded from <paramref name="width"/>) and returns its answer when its batch has run.</summary>
    public Task<TResponse> EnqueueAsync(TRequest request, int width, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(Interlocked.Increment(ref _nextId), request, width, _time.GetUtcNow(), cancellationToken);
        lock (_queue)
        {
            _queue.Add(waiting);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiting.Registration = cancellationToken.Register(static state => ((RequestBatcher<TRequest, TResponse>)state!).Wake(), this);
        }

        Wake();
        return waiting.Answer.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Wake();
        await _loop.ConfigureAwait(false);
        lock (_queue)
        {
            foreach (Waiting waiting in _queue)
            {
                waiting.Answer.TrySetException(new ObjectDisposedException(nameof(RequestBatcher<TRequest, TResponse>), "the instance is stopping"));
            }

            _queue.Clear();
        }

        _stop.Dispose();
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TaskCompletionSource wake = NewWake();
            Volatile.Write(ref _wake, wake);
            BatchDecision decision = Decide(out Dictionary<long, Waiting> byId);
            switch (decision)
            {
                case BatchDecision.RunNow run:
                    await RunAsync(run, byId).ConfigureAwait(false);
                    break;
                case BatchDecision.Wait wait:
                    TimeSpan delay = wait.Until - _time.GetUtcNow();
                    if (delay > TimeSpan.Zero)
                    {
                        using var timer = new CancellationTokenSource();
                        Task expiry = Task.Delay(delay, _time, timer.Token);
                        await Task.WhenAny(wake.Task, expiry).ConfigureAwait(false);
                        await timer.CancelAsync().ConfigureAwait(false);
                    }

                    break;
                default:
                    await wake.Task.ConfigureAwait(false);
                    break;
            }
        }
    }

    private BatchDecision Decide(out Dictionary<long, Waiting> byId)
    {
        lock (_queue)
        {
            byId = new Dictionary<long, Waiting>(_queue.Count);
            var pending = new List<PendingItem>(_queue.Count);
            foreach (Waiting waiting in _queue)
            {
                byId[waiting.Id] = waiting;
                pending.Add(new PendingItem(waiting.Id, waiting.Arrival, waiting.Width, waiting.Token.IsCancellationRequested));
            }

            BatchDecision decision = BatchFormer.Decide(pending, _time.GetUtcNow(), _options);
            var taken = new HashSet<long>(decision.Dropped.Select(d => d.Id));
            if (decision is BatchDecision.RunNow run)
            {
                taken.UnionWith(run.Items.Select(i => i.Id));
            }

            _queue.RemoveAll(w => taken.Contains(w.Id));
            foreach (PendingItem dropped in decision.Dropped)
            {
                Waiting waiting = byId[dropped.Id];
                waiting.Registration.Dispose();
                waiting.Answer.TrySetCanceled(waiting.Token);
            }

            return decision;
        }
    }

    private async Task RunAsync(BatchDecision.RunNow run, Dictionary<long, Waiting> byId)
    {
        var members = run.Items.Select(i => byId[i.Id]).ToList();
        foreach (Waiting member in members)
        {
            member.Registration.Dispose();
        }

        // The batch runs while any member still wants its answer; it stops when all have gone.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        using var anyLeft = new AllCancelled(members.Select(m => m.Token).ToList(), linked);
        try
        {
            IReadOnlyList<TResponse> answers = await _run(members.Select(m => m.Request).ToList(), run.PaddedWidth, linked.Token).ConfigureAwait(false);
            if (answers.Count != members.Count)
            {
                throw new InvalidOperationException($"the batch handler returned {answers.Count} answers for {members.Count} requests");
            }

            for (int i = 0; i < members.Count; i++)
            {
                members[i].Answer.TrySetResult(answers[i]);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            foreach (Waiting member in members)
            {
                member.Answer.TrySetCanceled(member.Token.IsCancellationRequested ? member.Token : linked.Token);
            }
        }
        catch (Exception e)
        {
            foreach (Waiting member in members)
            {
                member.Answer.TrySetException(e);
            }
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _requests, members.Count);
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Waiting(long id, TRequest request, int width, DateTimeOffset arrival, CancellationToken token)
    {
        public long Id { get; } = id;

        public TRequest Request { get; } = request;

        public int Width { get; } = width;

        public DateTimeOffset Arrival { get; } = arrival;

        public CancellationToken Token { get; } = token;

        public CancellationTokenRegistration Registration { get; set; }

        public TaskCompletionSource<TResponse> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Cancels <c>target</c> once every one of <c>tokens</c> is cancelled.</summary>
    private sealed class AllCancelled : IDisposable
    {
        private readonly List<CancellationTokenRegistration> _registrations = [];
        private int _left;

        public AllCancelled(IReadOnlyList<CancellationToken> tokens, CancellationTokenSource target)
        {
            _left = tokens.Count;
            foreach (CancellationToken token in tokens)
            {
                if (!token.CanBeCanceled)
                {
                    // One member can never go away: the batch always runs to its end.
                    _left = int.MaxValue;
                }
            }

            foreach (CancellationToken token in tokens)
            {
                _registrations.Add(token.Register(() =>
                {
                    if (Interlocked.Decrement(ref _left) == 0)
                    {
                        target.Cancel();
                    }
                }));
            }
        }

        public void Dispose()
        {
            foreach (CancellationTokenRegistration registration in _registrations)
            {
                registration.Dispose();
            }
        }
    }
}
