namespace Serval.Server.Tests.Support;

/// <summary>Deterministic test inputs.</summary>
public static class Inputs
{
    /// <summary><paramref name="count"/> floats in [0, 1) from a fixed seed.</summary>
    public static float[] Floats(int count, int seed = 7)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }
}
