using Serval.Node.Packages;
using Serval.Server.Releases;

namespace Serval.Server.Storage;

/// <summary>A stored version: immutable once written.</summary>
/// <param name="Function">The function's name.</param>
/// <param name="Version">1, 2, 3...</param>
/// <param name="Digest">sha256 over the spec and the files' digests.</param>
/// <param name="SpecText">The <c>serval.yaml</c> text as deployed.</param>
/// <param name="Files">The package's files.</param>
/// <param name="MetadataJson">The instance's ready report from the deploy check (model inputs/outputs), as JSON.</param>
/// <param name="Created">When it was deployed.</param>
public sealed record VersionRecord(string Function, int Version, string Digest, string SpecText, IReadOnlyList<PackageFile> Files, string MetadataJson, DateTimeOffset Created);

/// <summary>A stored function.</summary>
/// <param name="Name">The name.</param>
/// <param name="Created">When its first version was deployed.</param>
/// <param name="Updated">When its latest version was deployed.</param>
public sealed record FunctionRecord(string Name, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>
/// Where functions, versions and aliases persist. SQLite in the all-in-one platform; PostgreSQL in a
/// cluster (a second implementation, hence the interface).
/// </summary>
public interface IFunctionStore
{
    /// <summary>Every function with its versions and aliases.</summary>
    Task<IReadOnlyList<(FunctionRecord Function, IReadOnlyList<VersionRecord> Versions, IReadOnlyDictionary<string, int> Aliases)>> LoadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds the next version of <paramref name="function"/> (creating the function) and points
    /// <c>latest</c> at it (and the serving alias <c>prod</c>, for a new function), in one
    /// transaction. Returns the number given.
    /// </summary>
    Task<VersionRecord> AddVersionAsync(string function, string digest, string specText, IReadOnlyList<PackageFile> files, string metadataJson, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every release of every function, oldest first.</summary>
    Task<IReadOnlyList<ReleaseRecord>> LoadReleasesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="release"/> (new or changed) and, when <paramref name="serving"/> is
    /// given, points the serving alias <c>prod</c> at that version, in one transaction.
    /// </summary>
    Task SaveReleaseAsync(ReleaseRecord release, int? serving, CancellationToken cancellationToken);

    /// <summary>Removes a function, its versions and aliases; false when there was none.</summary>
    Task<bool> DeleteFunctionAsync(string function, CancellationToken cancellationToken);
}
