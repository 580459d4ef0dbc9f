using System.Diagnostics;
using Serval.Core.Releases;

namespace Serval.Server.Tests.Support;

/// <summary>One answer a load client got.</summary>
/// <param name="Sequence">Its place among all answers (a global count, in the order they came back).</param>
/// <param name="Status">The HTTP status; 0 when the call itself failed.</param>
/// <param name="Version">The <c>X-Serval-Version</c> that answered (0 when none).</param>
/// <param name="Cold">True when it waited for an instance to start.</param>
/// <param name="Body">The body (the error, for a failure).</param>
public sealed record LoadAnswer(long Sequence, int Status, int Version, bool Cold, string Body);

/// <summary>
/// Closed-loop callers of one function: each client calls <c>POST /fn/{name}</c> with its own
/// <c>X-Serval-Bid</c>, waits for the answer, pauses briefly and calls again, until stopped; every
/// answer is kept per client, so a test can count failures and version switches per caller.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly string _function;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LoadAnswer>[] _answers;
    private readonly Task[] _loops;
    private long _sequence;

    /// <summary>Starts one client per bid in <paramref name="bids"/>.</summary>
    public SteadyLoad(HttpClient client, string function, IReadOnlyList<string> bids, TimeSpan? pause = null)
    {
        _client = client;
        _function = function;
        Bids = bids;
        _answers = bids.Select(_ => new List<LoadAnswer>()).ToArray();
        TimeSpan between = pause ?? TimeSpan.FromMilliseconds(10);
        _loops = bids.Select((bid, i) => Task.Run(() => LoopAsync(i, bid, between))).ToArray();
    }

    /// <summary>The clients' businesses (and sticky keys), by client index.</summary>
    public IReadOnlyList<string> Bids { get; }

    /// <summary>The answers so far, a copy per client.</summary>
    public IReadOnlyList<LoadAnswer>[] Answers()
    {
        var copy = new IReadOnlyList<LoadAnswer>[_answers.Length];
        for (int i = 0; i < _answers.Length; i++)
        {
            lock (_answers[i])
            {
                copy[i] = _answers[i].ToList();
            }
        }

        return copy;
    }

    /// <summary>The sequence number the next answer will get: answers from a mark on came back after it was taken.</summary>
    public long Mark() => Interlocked.Read(ref _sequence);

    /// <summary>Waits (bounded) until every client has an answer from <paramref name="version"/> after <paramref name="mark"/>.</summary>
    public async Task WaitAllSeeAsync(int version, long mark, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!Answers().All(a => a.Any(x => x.Sequence >= mark && x.Version == version && x.Status == 200)))
        {
            Assert.True(clock.Elapsed < limit, $"not every client was answered by v{version} within {limit.TotalSeconds} s: {Summary()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Stops every client and waits for their last calls.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    /// <summary>Per client: how many times consecutive answers from <paramref name="mark"/> on came from different versions.</summary>
    public static int[] Switches(IReadOnlyList<LoadAnswer>[] answers, long mark = 0) =>
        answers.Select(a =>
        {
            var versions = a.Where(x => x.Sequence >= mark && x.Version > 0).Select(x => x.Version).ToList();
            return versions.Zip(versions.Skip(1)).Count(p => p.First != p.Second);
        }).ToArray();

    /// <summary>Every answer that was not a 200, from every client.</summary>
    public static List<LoadAnswer> Failures(IReadOnlyList<LoadAnswer>[] answers, long mark = 0) =>
        answers.SelectMany(a => a).Where(x => x.Sequence >= mark && x.Status != 200).ToList();

    /// <summary>
    /// Businesses for load clients whose buckets for canary version <paramref name="canary"/> fall
    /// where a test needs them: <paramref name="below10"/> in the first 10 % (the canary's first
    /// step), <paramref name="below50"/> in 10–49 %, <paramref name="rest"/> in 50–99 %, in that order.
    /// </summary>
    public static List<string> BidsFor(int canary, int below10, int below50, int rest, string prefix = "caller")
    {
        List<string> first = [], second = [], third = [];
        int a = 0, b = 0, c = 0;
        for (int i = 0; a < below10 || b < below50 || c < rest; i++)
        {
            string bid = $"{prefix}-{i}";
            int bucket = TrafficSplit.Bucket(bid, canary);
            if (bucket < 10 && a < below10)
            {
                a++;
                first.Add(bid);
            }
            else if (bucket is >= 10 and < 50 && b < below50)
            {
                b++;
                second.Add(bid);
            }
            else if (bucket >= 50 && c < rest)
            {
                c++;
                third.Add(bid);
            }
        }

        return [.. first, .. second, .. third];
    }

    /// <summary>Per client: answers, failures, and the versions in order of change ("v1×40 v2×12").</summary>
    public string Summary() => string.Join("; ", Answers().Select((a, i) =>
    {
        var runs = new List<string>();
        foreach (var group in a.Select(x => x.Status == 200 ? $"v{x.Version}" : $"{x.Status}@v{x.Version}").Aggregate(new List<(string Key, int Count)>(), (acc, key) =>
        {
            if (acc.Count > 0 && acc[^1].Key == key)
            {
                acc[^1] = (key, acc[^1].Count + 1);
            }
            else
            {
                acc.Add((key, 1));
            }

            return acc;
        }))
        {
            runs.Add($"{group.Key}×{group.Count}");
        }

        return $"{Bids[i]}: {string.Join(" ", runs)}";
    }));

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(int index, string bid, TimeSpan pause)
    {
        while (!_stop.IsCancellationRequested)
        {
            LoadAnswer answer;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/fn/{_function}") { Content = new StringContent("x") };
                request.Headers.Add("X-Serval-Bid", bid);
                using HttpResponseMessage response = await _client.SendAsync(request, CancellationToken.None);
                string body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                int version = response.Headers.TryGetValues("X-Serval-Version", out var v) && int.TryParse(v.First(), out int n) ? n : 0;
                bool cold = response.Headers.TryGetValues("X-Serval-Cold-Start", out var c) && c.First() == "true";
                answer = new LoadAnswer(Interlocked.Increment(ref _sequence) - 1, (int)response.StatusCode, version, cold, body);
            }
            catch (HttpRequestException e)
            {
                answer = new LoadAnswer(Interlocked.Increment(ref _sequence) - 1, 0, 0, false, e.Message);
            }

            lock (_answers[index])
            {
                _answers[index].Add(answer);
            }

            try
            {
                await Task.Delay(pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
