namespace Serval.Core.Releases;

/// <summary>What one version answered over a step of a release.</summary>
/// <param name="Version">The version.</param>
/// <param name="Requests">Invocations it answered (errors included).</param>
/// <param name="Errors">Those that failed by the version's fault: its code (500), a crash (502), no instance (503), the deadline (504).</param>
/// <param name="P99Ms">The 99th percentile of their latency (queue and run), in milliseconds; 0 without requests.</param>
public readonly record struct VersionWindow(int Version, long Requests, long Errors, double P99Ms)
{
    /// <summary>Errors per request, 0 without requests: 3 of 50 → 0.06.</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;
}
