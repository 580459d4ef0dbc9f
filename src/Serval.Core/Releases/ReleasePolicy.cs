using System.Globalization;
using Serval.Core.Specs;

namespace Serval.Core.Releases;

/// <summary>
/// The release controller's decision: a pure function of the release's settings, where it stands,
/// what both versions answered since the step began, a person's command and the time. The loop that
/// measures, ticks and moves traffic lives in the server and does no arithmetic.
/// </summary>
/// <remarks>
/// In order: a command wins; the new version is rolled back as soon as it has answered
/// <c>minRequests</c> with an error rate more than <c>maxErrorRate</c> above the old one's (failing
/// requests are not left running to the end of the step); before <c>interval</c> has passed the
/// step is watched; after it, too few requests hold the step (it keeps counting); a p99 more than
/// <c>maxLatencyRatio</c> × the old one's rolls back; otherwise the next step applies, and after the
/// last one below 100 % the new version is promoted.
/// </remarks>
public static class ReleasePolicy
{
    /// <summary>
    /// A p99 within this of the old one's is never too slow, whatever the ratio: at 2 ms a 1.5×
    /// ratio is 1 ms, a garbage collection or a context switch on a busy node. 5 ms is above the
    /// jitter of the 1–3 ms no-op calls measured here, well below any slowdown worth a rollback.
    /// </summary>
    public static readonly TimeSpan LatencySlack = TimeSpan.FromMilliseconds(5);

    /// <summary>Decides what a running release does now.</summary>
    /// <param name="spec">The release's settings (the new version's <c>release</c> key).</param>
    /// <param name="progress">The step it is at and since when.</param>
    /// <param name="stable">What the old version answered since the step began.</param>
    /// <param name="canary">What the new version answered since the step began.</param>
    /// <param name="now">The time.</param>
    /// <param name="command">A person's promote or rollback, or none.</param>
    public static ReleaseDecision Decide(ReleaseSpec spec, ReleaseProgress progress, VersionWindow stable, VersionWindow canary, DateTimeOffset now, ReleaseCommand command = ReleaseCommand.None)
    {
        int step = Math.Clamp(progress.Step, 0, spec.Steps.Count - 1);
        int percent = spec.Steps[step];
        string at = $"step {step + 1} of {spec.Steps.Count} ({percent} %)";
        switch (command)
        {
            case ReleaseCommand.Promote:
                return new ReleaseDecision(ReleaseAction.Promote, spec.Steps.Count - 1, 100, $"promoted by hand at {at}");
            case ReleaseCommand.RollBack:
                return new ReleaseDecision(ReleaseAction.RollBack, step, 0, $"rolled back by hand at {at}");
        }

        string v = $"v{canary.Version}", old = $"v{stable.Version}";
        bool enough = canary.Requests >= spec.MinRequests;

        // Old 0 % (0 of 450), new 6 of 50 = 12 %: 12 points above, more than 1 → back at once.
        double excess = canary.ErrorRate - stable.ErrorRate;
        if (enough && excess > spec.MaxErrorRate)
        {
            return new ReleaseDecision(ReleaseAction.RollBack, step, 0,
                $"{v}'s error rate {Percent(canary.ErrorRate)} ({canary.Errors} of {canary.Requests}) is {Points(excess)} above {old}'s {Percent(stable.ErrorRate)} ({stable.Errors} of {stable.Requests}), more than {Percent(spec.MaxErrorRate)}, at {at}: rolled back")
            { Urgent = true };
        }

        TimeSpan watched = now - progress.StepStarted;
        if (watched < spec.Interval)
        {
            return new ReleaseDecision(ReleaseAction.Wait, step, percent,
                $"{at}: watched {Seconds(watched)} of {Seconds(spec.Interval)}, {canary.Requests} requests on {v}");
        }

        if (!enough)
        {
            return new ReleaseDecision(ReleaseAction.Hold, step, percent,
                $"holding {at}: {canary.Requests} of {spec.MinRequests} requests on {v} in {Seconds(watched)}, too few to judge");
        }

        // p99 210 ms against 25 ms: 8.4×, more than 1.5× and more than 5 ms slower → back.
        string latency;
        if (stable.Requests >= spec.MinRequests && stable.P99Ms > 0)
        {
            double ratio = canary.P99Ms / stable.P99Ms;
            latency = $"p99 {Ms(canary.P99Ms)} vs {Ms(stable.P99Ms)} ({Number(ratio)}×)";
            if (ratio > spec.MaxLatencyRatio && canary.P99Ms - stable.P99Ms > LatencySlack.TotalMilliseconds)
            {
                return new ReleaseDecision(ReleaseAction.RollBack, step, 0,
                    $"{v}'s p99 {Ms(canary.P99Ms)} is {Number(ratio)}× {old}'s {Ms(stable.P99Ms)}, more than {Number(spec.MaxLatencyRatio)}×, at {at}: rolled back");
            }
        }
        else
        {
            latency = $"p99 {Ms(canary.P99Ms)}, not compared: {old} answered {stable.Requests} of {spec.MinRequests}";
        }

        string passed = $"{at} passed: error rate {Percent(canary.ErrorRate)} vs {Percent(stable.ErrorRate)}, {latency}, {canary.Requests} requests on {v}";
        int next = step + 1;
        if (next >= spec.Steps.Count || spec.Steps[next] >= 100)
        {
            return new ReleaseDecision(ReleaseAction.Promote, spec.Steps.Count - 1, 100, $"{passed} → promoted");
        }

        return new ReleaseDecision(ReleaseAction.Advance, next, spec.Steps[next], $"{passed} → {spec.Steps[next]} %");
    }

    private static string Percent(double share) => (share * 100).ToString("0.0##", CultureInfo.InvariantCulture) + " %";

    private static string Points(double share) => (share * 100).ToString("0.0##", CultureInfo.InvariantCulture) + " points";

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    private static string Number(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
