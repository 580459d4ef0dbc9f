using Serval.Server.Functions;

namespace Serval.Server.Deployment;

/// <summary>The outcome of a deploy: a new version, the unchanged latest one, or why it was refused.</summary>
/// <param name="Version">The version deployed (or already there), when it succeeded.</param>
/// <param name="Created">True when a new version was made.</param>
/// <param name="Error">Why it was refused (a 400 for the user), or null.</param>
/// <param name="Details">Every problem found, when there were several.</param>
public sealed record DeployResult(DeployedVersion? Version, bool Created, string? Error, IReadOnlyList<string> Details)
{
    /// <summary>What the deploy went through with but the user should know (a GPU step placed on a CPU).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>How the deploy moved traffic to the new version (null for a function's first version, or an unchanged deploy).</summary>
    public Releases.ReleaseRecord? Release { get; init; }

    /// <summary>A refused deploy.</summary>
    public static DeployResult Refused(string error, IReadOnlyList<string>? details = null) => new(null, false, error, details ?? [error]);
}

/// <summary>One uploaded package file.</summary>
/// <param name="Path">Its path relative to <c>serval.yaml</c>, with forward slashes.</param>
/// <param name="Open">Opens its content.</param>
public sealed record UploadedFile(string Path, Func<Stream> Open);
