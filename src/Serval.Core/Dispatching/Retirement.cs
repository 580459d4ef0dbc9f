namespace Serval.Core.Dispatching;

/// <summary>
/// Which ready instances to let go: pure functions of the instances' counts and last use. Only an
/// instance with nothing in flight is ever chosen; on-demand instances go before provisioned ones,
/// the longest idle first.
/// </summary>
public static class Retirement
{
    /// <summary>
    /// The instances to drain so that at most <paramref name="desired"/> remain (fewer are chosen when
    /// too few are idle): idle ones only, on-demand before provisioned, longest idle first, the
    /// earliest on a tie. Desired 1 of [A provisioned idle since 10:00, B on-demand busy,
    /// C on-demand idle since 10:05] → [C, A] (B is busy).
    /// </summary>
    public static int[] ForScaleDown(ReadOnlySpan<InstanceView> instances, int desired)
    {
        int surplus = instances.Length - Math.Max(desired, 0);
        if (surplus <= 0)
        {
            return [];
        }

        var idle = new List<int>(instances.Length);
        for (int i = 0; i < instances.Length; i++)
        {
            if (instances[i].InFlight == 0)
            {
                idle.Add(i);
            }
        }

        InstanceView[] copy = instances.ToArray();
        idle.Sort((a, b) =>
        {
            int order = copy[a].Provisioned.CompareTo(copy[b].Provisioned);
            if (order == 0)
            {
                order = copy[a].LastUsed.CompareTo(copy[b].LastUsed);
            }

            return order != 0 ? order : a.CompareTo(b); // stable: the earlier one on a tie
        });
        return idle.Count <= surplus ? [.. idle] : [.. idle.GetRange(0, surplus)];
    }

    /// <summary>
    /// The idle on-demand instance idle longest (the earliest on a tie), or -1 when there is none:
    /// the one to stop when another version needs its room. Provisioned and busy ones are never taken.
    /// </summary>
    public static int LongestIdle(ReadOnlySpan<InstanceView> instances)
    {
        int best = -1;
        for (int i = 0; i < instances.Length; i++)
        {
            if (instances[i].IdleOnDemand && (best < 0 || instances[i].LastUsed < instances[best].LastUsed))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// Idle on-demand instances that took no invocation for <paramref name="idleAfter"/> by
    /// <paramref name="now"/> (what the autoscaler may let go). Idle 60 s, now 10:02: an on-demand
    /// instance last used at 10:00:30 counts, one used at 10:01:30 does not.
    /// </summary>
    public static int CountIdle(ReadOnlySpan<InstanceView> instances, DateTimeOffset now, TimeSpan idleAfter)
    {
        int idle = 0;
        foreach (InstanceView instance in instances)
        {
            if (instance.IdleOnDemand && now - instance.LastUsed >= idleAfter)
            {
                idle++;
            }
        }

        return idle;
    }
}
