using System.Globalization;

namespace Serval.Core.Placement;

/// <summary>
/// Where the next instance of a version goes: pure, over the nodes that are ready (a draining or
/// lost node is never offered). A node qualifies when it is allowed (<c>placement.nodes</c>), carries
/// the labels asked, and has the cores, memory and GPU share (with its GPU memory) free. Among those,
/// replicas spread first (the node with the fewest instances of this version, so one lost node takes
/// as few of them as possible), then the rest is bin-packed: the node left fullest after the
/// placement wins, keeping whole nodes free for large instances. Ties go to the lower id, so the
/// answer is a function of its input.
/// </summary>
public static class Scheduler
{
    private const double Epsilon = 1e-9;

    /// <summary>Chooses a node for one more instance of <paramref name="request"/>.</summary>
    public static PlacementChoice Place(PlacementRequest request, IReadOnlyList<NodeOffer> nodes)
    {
        if (nodes.Count == 0)
        {
            return new PlacementChoice(null, [], "no node is ready");
        }

        NodeOffer? best = null;
        int[] bestDevices = [];
        (int Spread, double Fill) bestScore = default;
        var refusals = new List<string>();
        foreach (NodeOffer node in nodes)
        {
            if (Refusal(request, node, out int[] devices) is { } why)
            {
                refusals.Add($"{node.Id}: {why}");
                continue;
            }

            (int, double) score = (node.Instances.GetValueOrDefault(request.Version), FillAfter(request, node));
            if (best is null || Better(score, node.Id, bestScore, best.Id))
            {
                (best, bestDevices, bestScore) = (node, devices, score);
            }
        }

        return best is null
            ? new PlacementChoice(null, [], $"no node fits {request.Version}: {string.Join("; ", refusals)}")
            : new PlacementChoice(best.Id, bestDevices, null);
    }

    /// <summary>Why <paramref name="node"/> cannot take the instance, or null when it can (with the GPU devices it would get).</summary>
    public static string? Refusal(PlacementRequest request, NodeOffer node, out int[] devices)
    {
        devices = [];
        if (request.Nodes.Count > 0 && !request.Nodes.Contains(node.Id, StringComparer.Ordinal))
        {
            return $"not among placement.nodes [{string.Join(", ", request.Nodes)}]";
        }

        foreach (var (key, value) in request.Labels)
        {
            if (!node.Labels.TryGetValue(key, out string? has) || has != value)
            {
                return $"label {key}={value} asked, {(has is null ? "none" : $"{key}={has}")} on the node";
            }
        }

        if (node.ReservedCores + request.Cores > node.Cores + Epsilon)
        {
            return $"cores: {Text(node.ReservedCores)} of {Text(node.Cores)} reserved, {Text(request.Cores)} more asked";
        }

        if (node.ReservedMemoryMb + request.MemoryMb > node.MemoryMb)
        {
            return $"memory: {node.ReservedMemoryMb} of {node.MemoryMb} MiB reserved, {request.MemoryMb} more asked";
        }

        if (request.Gpus > 0)
        {
            if (node.Gpus.Count == 0)
            {
                return $"gpus: none on the node, {Text(request.Gpus)} asked";
            }

            // A device without the GPU memory asked counts as full, so the share policy skips it.
            double[] used = node.Gpus.Select(g => g.MemoryMb - g.ReservedMemoryMb >= request.GpuMemoryMb ? g.Used : 1).ToArray();
            if (GpuPlacement.Choose(used, request.Gpus) is not { } chosen)
            {
                return $"gpus: {Text(request.Gpus)} asked{(request.GpuMemoryMb > 0 ? $" with {request.GpuMemoryMb} MiB each" : "")}, "
                    + $"devices in use {string.Join(", ", node.Gpus.Select(g => $"{Text(g.Used)} ({g.MemoryMb - g.ReservedMemoryMb} MiB free)"))}";
            }

            devices = chosen;
        }

        return null;
    }

    // Fewer replicas of the version first; then the fuller node; then the lower id.
    private static bool Better((int Spread, double Fill) score, string id, (int Spread, double Fill) best, string bestId) =>
        score.Spread != best.Spread ? score.Spread < best.Spread
        : Math.Abs(score.Fill - best.Fill) > Epsilon ? score.Fill > best.Fill
        : string.CompareOrdinal(id, bestId) < 0;

    // The node's fullest dimension after the placement: 1.5 of 2 cores and 3 of 8 GiB → 0.75.
    private static double FillAfter(PlacementRequest request, NodeOffer node)
    {
        double cores = node.Cores > 0 ? (node.ReservedCores + request.Cores) / node.Cores : 1;
        double memory = node.MemoryMb > 0 ? (double)(node.ReservedMemoryMb + request.MemoryMb) / node.MemoryMb : 1;
        return Math.Max(cores, memory);
    }

    private static string Text(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
