using Serval.Core.Autoscaling;
using Serval.Core.Billing;
using Serval.Core.Specs;

namespace Serval.Core.Simulation;

/// <summary>The function a trace is replayed against, and the model's few constants.</summary>
public sealed record SimulationOptions
{
    /// <summary>The function's <c>instances</c> (max, concurrency, idle; min comes from the strategy).</summary>
    public InstancesSpec Instances { get; init; } = new();

    /// <summary>What one instance reserves (for the bill).</summary>
    public Reserved Resources { get; init; } = new(0.5, 2048, 0);

    /// <summary>The time one invocation takes in an instance (default 100 ms); every invocation takes it.</summary>
    public TimeSpan Service { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>From an instance being asked for to ready (default 0.5 s: a warm-pool start is 0.1–0.4 s, bench/RESULTS.md).</summary>
    public TimeSpan ColdStart { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time between autoscaling decisions: the platform's 500 ms.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The autoscaler's options: the platform's defaults.</summary>
    public AutoscalerOptions Autoscaler { get; init; } = new();

    /// <summary>The price sheet the cost is computed with.</summary>
    public PriceSheet Prices { get; init; } = new();

    /// <summary>The slot a scheduled minimum holds for (default 60 s, a cron's resolution).</summary>
    public TimeSpan ScheduleSlot { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The provisioned floor of the floor + on-demand strategy (default 1).</summary>
    public int Floor { get; init; } = 1;
}

/// <summary>A strategy: a name and the minimum it keeps, by second of the trace.</summary>
/// <param name="Name">As printed: <c>on-demand only</c>.</param>
/// <param name="Minimums">(from second, minimum), seconds increasing from 0: the minimum from each second until the next.</param>
public sealed record SimulationStrategy(string Name, IReadOnlyList<(double From, int Min)> Minimums)
{
    /// <summary>The minimum at second <paramref name="t"/>.</summary>
    public int MinimumAt(double t)
    {
        int min = 0;
        foreach (var (from, value) in Minimums)
        {
            if (from > t)
            {
                break;
            }

            min = value;
        }

        return min;
    }

    /// <summary>
    /// The four strategies compared: on-demand only (min 0); provisioned for the peak (min = the
    /// instances the trace's peak needs at the autoscaler's target, at most max); scheduled minimums
    /// (each <see cref="SimulationOptions.ScheduleSlot"/> of the trace keeps what its own peak needs,
    /// raised one cold start ahead, as an operator would write crons from yesterday's traffic); and a
    /// provisioned floor (<see cref="SimulationOptions.Floor"/>) with on-demand overflow.
    /// </summary>
    public static IReadOnlyList<SimulationStrategy> All(LoadTrace trace, SimulationOptions options)
    {
        int Needed(double level)
        {
            // Concurrency a level makes: clients are in flight or queued; an open rate holds
            // rps × service in flight (Little's law): 40 rps × 0.1 s = 4. At concurrency 4 × 0.7 → ceil(4 / 2.8) = 2.
            double concurrency = trace.Kind == TraceKind.Clients ? level : level * options.Service.TotalSeconds;
            double target = options.Instances.Concurrency * options.Autoscaler.TargetUtilization;
            return (int)Math.Clamp(Math.Ceiling(concurrency / target - 1e-9), 0, options.Instances.Max);
        }

        int peak = Math.Max(1, Needed(trace.PeakBetween(0, trace.End)));
        var scheduled = new List<(double, int)>();
        double slot = options.ScheduleSlot.TotalSeconds;
        double lead = options.ColdStart.TotalSeconds;
        for (double from = 0; from < trace.End; from += slot)
        {
            int min = Needed(trace.PeakBetween(from, from + slot));
            double at = Math.Max(0, from - lead);
            if (scheduled.Count > 0 && scheduled[^1].Item1 >= at)
            {
                // The previous slot's entry is at the same time (the first two slots within a lead): the later one wins.
                scheduled[^1] = (scheduled[^1].Item1, Math.Max(scheduled[^1].Item2, min));
            }
            else
            {
                scheduled.Add((at, min));
            }
        }

        return
        [
            new("on-demand only", [(0, 0)]),
            new($"provisioned for the peak ({peak})", [(0, peak)]),
            new("scheduled minimums", scheduled),
            new($"floor {options.Floor} + on-demand", [(0, Math.Min(options.Floor, options.Instances.Max))]),
        ];
    }
}

/// <summary>What one strategy did on the trace.</summary>
public sealed record SimulationResult
{
    /// <summary>The strategy.</summary>
    public required string Strategy { get; init; }

    /// <summary>Invocations answered.</summary>
    public long Requests { get; init; }

    /// <summary>Instances started during the trace (each a cold start; provisioned ones ready at 0 s are not).</summary>
    public int ColdStarts { get; init; }

    /// <summary>Invocations that waited for an instance to start.</summary>
    public long ColdRequests { get; init; }

    /// <summary>Every instance's time, starting or ready, seconds.</summary>
    public double InstanceSeconds { get; init; }

    /// <summary>Time instances had at least one invocation, seconds.</summary>
    public double BusySeconds { get; init; }

    /// <summary>Time provisioned instances were ready with nothing in flight, seconds (charged at the idle rates).</summary>
    public double IdleProvisionedSeconds { get; init; }

    /// <summary>Busy ÷ instance time, as bench/run.sh spiky measures it.</summary>
    public double Utilisation => InstanceSeconds > 0 ? BusySeconds / InstanceSeconds : 0;

    /// <summary>Median request time (queue plus service), seconds.</summary>
    public double P50 { get; init; }

    /// <summary>99th percentile request time, seconds.</summary>
    public double P99 { get; init; }

    /// <summary>The bill: invocations' billed time and requests, plus idle provisioned time.</summary>
    public decimal Cost { get; init; }

    /// <summary>
    /// What the same instance time would cost rented as servers, every second at the running rates
    /// (no request price): the capacity the strategy holds, used or not.
    /// </summary>
    public decimal ServerCost { get; init; }
}
