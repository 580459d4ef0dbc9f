namespace Serval.Core.Placement;

/// <summary>
/// Which of a node's GPUs an instance gets: pure, over each device's share in use (0 free, 1 full).
/// A share below one GPU goes to the fullest device it still fits on (best fit, so whole devices stay
/// free for instances that need them); one GPU or more takes that many whole, unused devices (1.5
/// takes two: CUDA cannot split a device between a process's streams by fraction).
/// </summary>
public static class GpuPlacement
{
    private const double Epsilon = 1e-9;

    /// <summary>The devices for an instance asking <paramref name="asked"/> GPUs, or null when they are not free.</summary>
    /// <param name="used">Each device's share in use now.</param>
    /// <param name="asked">GPUs asked (<c>resources.gpu</c>), above 0.</param>
    public static int[]? Choose(IReadOnlyList<double> used, double asked)
    {
        if (asked < 1 - Epsilon)
        {
            int best = -1;
            for (int d = 0; d < used.Count; d++)
            {
                if (used[d] + asked <= 1 + Epsilon && (best < 0 || used[d] > used[best]))
                {
                    best = d;
                }
            }

            return best < 0 ? null : [best];
        }

        int whole = (int)Math.Ceiling(asked - Epsilon);
        int[] free = Enumerable.Range(0, used.Count).Where(d => used[d] <= Epsilon).Take(whole).ToArray();
        return free.Length == whole ? free : null;
    }

    /// <summary>How each device's share changes when <paramref name="devices"/> take <paramref name="asked"/> GPUs: a share on one, or each whole.</summary>
    public static double ShareOn(double asked) => asked < 1 - Epsilon ? asked : 1;

    /// <summary>How many more instances asking <paramref name="asked"/> fit on devices used as <paramref name="used"/>.</summary>
    public static int Room(IReadOnlyList<double> used, double asked)
    {
        if (asked < 1 - Epsilon)
        {
            return used.Sum(u => (int)Math.Floor((1 - u + Epsilon) / asked));
        }

        return used.Count(u => u <= Epsilon) / (int)Math.Ceiling(asked - Epsilon);
    }
}
