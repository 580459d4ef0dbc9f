namespace Serval.Core.Dispatching;

/// <summary>Which ready instance takes the next request: a pure function of the instances' counts.</summary>
public static class SlotChoice
{
    /// <summary>
    /// The index of the instance that takes the next request, or -1 when none serving has a free
    /// slot (fewer than <paramref name="concurrency"/> in flight). Provisioned instances are served
    /// first, on-demand ones take the overflow; among equals the busiest with a free slot wins (bin
    /// packing), the earliest on a tie. Concurrency 4, in flight [on-demand 1, on-demand 3,
    /// on-demand 4] → index 1 (3 is the busiest below 4): load stays on as few instances as it
    /// fits, and one it does not need gets nothing, goes idle and is let go.
    /// </summary>
    public static int Choose(ReadOnlySpan<InstanceView> instances, int concurrency)
    {
        int best = -1;
        for (int i = 0; i < instances.Length; i++)
        {
            InstanceView candidate = instances[i];
            if (!candidate.Serving || candidate.InFlight >= concurrency)
            {
                continue;
            }

            if (best < 0)
            {
                best = i;
                continue;
            }

            InstanceView chosen = instances[best];
            if ((candidate.Provisioned && !chosen.Provisioned)
                || (candidate.Provisioned == chosen.Provisioned && candidate.InFlight > chosen.InFlight))
            {
                best = i;
            }
        }

        return best;
    }
}
