using Serval.Core.Autoscaling;
using Serval.Core.Billing;
using Serval.Core.Dispatching;

namespace Serval.Core.Simulation;

/// <summary>
/// Replays a <see cref="LoadTrace"/> through the platform's own policies on a simulated clock: the
/// <see cref="Autoscaler"/> decides every tick from a <see cref="ConcurrencyWindow"/>, requests take
/// slots by <see cref="SlotChoice"/> (provisioned first, then bin packing) and wait in a FIFO queue
/// otherwise, surplus instances go by <see cref="Retirement"/>, and the first request with no instance
/// starts one at once, as the dispatcher does. What is modelled: every invocation takes
/// <see cref="SimulationOptions.Service"/>, every start <see cref="SimulationOptions.ColdStart"/>,
/// and nothing else competes for the machine (no CPU contention between instances).
/// </summary>
public static class StrategySimulator
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Runs every strategy of <see cref="SimulationStrategy.All"/> on <paramref name="trace"/>.</summary>
    public static IReadOnlyList<SimulationResult> Compare(LoadTrace trace, SimulationOptions options) =>
        [.. SimulationStrategy.All(trace, options).Select(s => Run(trace, s, options))];

    /// <summary>Runs <paramref name="strategy"/> on <paramref name="trace"/>.</summary>
    public static SimulationResult Run(LoadTrace trace, SimulationStrategy strategy, SimulationOptions options) =>
        new Run(trace, strategy, options).Execute();

    /// <summary>The time <paramref name="t"/> seconds into the trace.</summary>
    internal static DateTimeOffset At(double t) => Epoch.AddTicks((long)Math.Round(t * TimeSpan.TicksPerSecond));
}

/// <summary>One replay: the state of the simulated pool and its clock, advanced event by event.</summary>
internal sealed class Run
{
    private readonly LoadTrace _trace;
    private readonly SimulationStrategy _strategy;
    private readonly SimulationOptions _options;
    private readonly Autoscaler _autoscaler;
    private readonly ConcurrencyWindow _window;
    private readonly double _service;
    private readonly List<Member> _members = [];
    private readonly List<double> _starting = []; // ready times of starting instances
    private readonly Queue<double> _queue = new();  // arrival times of waiting requests
    private readonly PriorityQueue<(Member Member, double Arrived, bool Cold), double> _running = new();
    private readonly List<double> _latencies = [];
    private InstanceView[] _views = new InstanceView[8];
    private double _now;
    private int _level;
    private int _minimum;
    private double? _lastRequest;
    private ScaleDecision? _previous;
    private double _credit;
    private int _leaving; // closed-loop clients to drop at their next answer
    private int _coldStarts;
    private long _coldRequests;
    private double _instanceSeconds;
    private double _busySeconds;
    private double _idleProvisioned;

    public Run(LoadTrace trace, SimulationStrategy strategy, SimulationOptions options)
    {
        _trace = trace;
        _strategy = strategy;
        _options = options;
        _autoscaler = new Autoscaler(options.Autoscaler);
        _window = new ConcurrencyWindow(options.Autoscaler.StableWindow);
        _service = options.Service.TotalSeconds;
    }

    public SimulationResult Execute()
    {
        // Provisioned instances are ready before the trace starts, as bench/run.sh spiky waits for them.
        _minimum = Math.Min(_strategy.MinimumAt(0), _options.Instances.Max);
        for (int i = 0; i < _minimum; i++)
        {
            _members.Add(new Member { Provisioned = true, ReadyAt = 0, LastUsed = 0 });
        }

        _window.Record(StrategySimulator.At(0), 0);
        double end = _trace.End;
        double nextTick = 0;
        double nextChange = 0;
        double nextArrival = double.PositiveInfinity;
        while (true)
        {
            double nextDone = _running.TryPeek(out _, out double done) ? done : double.PositiveInfinity;
            double nextReady = _starting.Count > 0 ? _starting.Min() : double.PositiveInfinity;
            double next = Math.Min(Math.Min(nextDone, nextReady), Math.Min(Math.Min(nextTick, nextChange), nextArrival));
            if (next >= end)
            {
                Advance(end);
                break;
            }

            Advance(next);
            if (nextDone == next)
            {
                Complete();
            }
            else if (nextReady == next)
            {
                Ready();
            }
            else if (nextChange == next)
            {
                nextArrival = Change();
                nextChange = _trace.NextChangeAfter(_now);
            }
            else if (nextArrival == next)
            {
                _credit = 0;
                Arrive(_now);
                nextArrival = NextArrival(_now);
            }
            else
            {
                Tick();
                nextTick = _now + _options.Tick.TotalSeconds;
            }
        }

        _latencies.Sort();
        long billedMs = (long)Math.Ceiling(_service * 1000 - 1e-9) * _latencies.Count;
        decimal cost = CostModel.Compute(_options.Prices, _options.Resources, billedMs) + _options.Prices.Request * _latencies.Count
            + CostModel.Idle(_options.Prices, _options.Resources, (decimal)_idleProvisioned);
        return new SimulationResult
        {
            Strategy = _strategy.Name,
            Requests = _latencies.Count,
            ColdStarts = _coldStarts,
            ColdRequests = _coldRequests,
            InstanceSeconds = _instanceSeconds,
            BusySeconds = _busySeconds,
            IdleProvisionedSeconds = _idleProvisioned,
            P50 = Percentile(0.50),
            P99 = Percentile(0.99),
            Cost = cost,
            ServerCost = CostModel.Compute(_options.Prices, _options.Resources, (long)Math.Round(_instanceSeconds * 1000)),
        };
    }

    // Integrates the instance, busy and idle provisioned time up to `to` at the state held since _now.
    private void Advance(double to)
    {
        double dt = to - _now;
        if (dt > 0)
        {
            int busy = 0, idleProvisioned = 0;
            foreach (Member m in _members)
            {
                busy += m.InFlight > 0 ? 1 : 0;
                idleProvisioned += m.InFlight == 0 && m.Provisioned ? 1 : 0;
            }

            _instanceSeconds += (_members.Count + _starting.Count) * dt;
            _busySeconds += busy * dt;
            _idleProvisioned += idleProvisioned * dt;
        }

        _now = to;
    }

    // The trace's level changed: clients join (each sends a request) or are told to leave after
    // their answer; a rate re-plans the next arrival. 2 clients in, 12 wanted → 10 requests now.
    private double Change()
    {
        double level = _trace.LevelAt(_now);
        if (_trace.Kind == TraceKind.Clients)
        {
            int wanted = (int)Math.Round(level);
            int active = InSystem() - _leaving;
            if (wanted > active)
            {
                int stay = Math.Min(_leaving, wanted - active);
                _leaving -= stay;
                for (active += stay; active < wanted; active++)
                {
                    Arrive(_now);
                }
            }
            else
            {
                _leaving += active - wanted;
            }

            return double.PositiveInfinity;
        }

        return NextArrival(_now);
    }

    private int InSystem() => _queue.Count + _running.Count;

    // Evenly spaced arrivals at the trace's rate, carried across rows: 0.5 rps then 2 rps from 1 s → arrivals at 1.25 s, 1.75 s …
    private double NextArrival(double from)
    {
        double t = from;
        while (t < _trace.End)
        {
            double rate = _trace.LevelAt(t);
            double until = _trace.NextChangeAfter(t);
            double need = 1 - _credit;
            if (rate > 0 && rate * (until - t) >= need)
            {
                return t + need / rate;
            }

            _credit += rate * (until - t);
            t = until;
        }

        return double.PositiveInfinity;
    }

    private void Arrive(double arrived)
    {
        _lastRequest = _now;
        Level(1);
        if (!TryServe(arrived, cold: false))
        {
            _queue.Enqueue(arrived);
            if (_members.Count + _starting.Count == 0)
            {
                Start(); // scale from zero does not wait for the tick
            }
        }
    }

    private bool TryServe(double arrived, bool cold)
    {
        int index = SlotChoice.Choose(Views(), _options.Instances.Concurrency);
        if (index < 0)
        {
            return false;
        }

        Member member = _members[index];
        member.InFlight++;
        _running.Enqueue((member, arrived, cold), _now + _service);
        return true;
    }

    private void Complete()
    {
        var (member, arrived, cold) = _running.Dequeue();
        member.InFlight--;
        member.LastUsed = _now;
        _latencies.Add(_now - arrived);
        _coldRequests += cold ? 1 : 0;
        Level(-1);
        Drain(coldFor: null);
        if (_trace.Kind == TraceKind.Clients)
        {
            if (_leaving > 0)
            {
                _leaving--;
            }
            else
            {
                Arrive(_now); // a closed-loop client sends its next request at once
            }
        }
    }

    private void Ready()
    {
        _starting.Remove(_starting.Min());
        var member = new Member { ReadyAt = _now, LastUsed = _now, Provisioned = _members.Count < _minimum };
        _members.Add(member);
        Drain(coldFor: member);
    }

    // Waiting requests take free slots in arrival order; those that waited for `coldFor` to start are cold.
    private void Drain(Member? coldFor)
    {
        while (_queue.Count > 0)
        {
            double arrived = _queue.Peek();
            bool cold = coldFor is not null && coldFor.ReadyAt >= arrived;
            if (!TryServe(arrived, cold))
            {
                return;
            }

            _queue.Dequeue();
        }
    }

    private void Tick()
    {
        DateTimeOffset now = StrategySimulator.At(_now);
        int min = Math.Min(_strategy.MinimumAt(_now), _options.Instances.Max);
        var views = Views();
        ScaleDecision decision = _autoscaler.Decide(new AutoscalerInput
        {
            Now = now,
            Observed = _window.Observe(now, _options.Autoscaler),
            Ready = _members.Count,
            Starting = _starting.Count,
            Instances = _options.Instances with { Min = min },
            LastRequestAt = _lastRequest is { } last ? StrategySimulator.At(last) : null,
            IdleInstances = Retirement.CountIdle(views, now, _options.Instances.Idle),
            NodeCapacity = 1 << 20,
            Previous = _previous,
        });
        _previous = decision;
        _minimum = min;
        for (int i = 0; i < _members.Count; i++)
        {
            _members[i].Provisioned = i < min;
        }

        for (int have = _members.Count + _starting.Count; have < decision.DesiredInstances; have++)
        {
            Start();
        }

        int[] retire = Retirement.ForScaleDown(Views(), decision.DesiredInstances);
        foreach (Member leaving in retire.Select(i => _members[i]).ToList())
        {
            _members.Remove(leaving);
        }
    }

    private void Start()
    {
        _coldStarts++;
        _starting.Add(_now + _options.ColdStart.TotalSeconds);
    }

    private void Level(int delta)
    {
        _level += delta;
        _window.Record(StrategySimulator.At(_now), _level);
    }

    private ReadOnlySpan<InstanceView> Views()
    {
        if (_views.Length < _members.Count)
        {
            _views = new InstanceView[_members.Count * 2];
        }

        for (int i = 0; i < _members.Count; i++)
        {
            Member m = _members[i];
            _views[i] = new InstanceView(m.InFlight, m.Provisioned, true, StrategySimulator.At(m.LastUsed));
        }

        return _views.AsSpan(0, _members.Count);
    }

    private double Percentile(double q)
    {
        if (_latencies.Count == 0)
        {
            return 0;
        }

        // Nearest rank: the 99th of 1000 sorted is the 990th.
        int rank = (int)Math.Ceiling(q * _latencies.Count) - 1;
        return _latencies[Math.Clamp(rank, 0, _latencies.Count - 1)];
    }

    private sealed class Member
    {
        public int InFlight { get; set; }

        public bool Provisioned { get; set; }

        public double ReadyAt { get; init; }

        public double LastUsed { get; set; }
    }
}
