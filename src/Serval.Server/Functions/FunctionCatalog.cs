using System.Collections.Frozen;
using System.Text.Json;
using Serval.Core.Releases;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Server.Releases;
using Serval.Server.Storage;

namespace Serval.Server.Functions;

/// <summary>A deployed version as the request path needs it: the record, its parsed spec and model metadata.</summary>
public sealed record DeployedVersion(VersionRecord Record, FunctionSpec Spec, ReadyReport Metadata)
{
    /// <summary>The function's name.</summary>
    public string Function => Record.Function;

    /// <summary>The version number.</summary>
    public int Version => Record.Version;
}

/// <summary>A function with every version, its aliases and its releases.</summary>
public sealed record DeployedFunction(FunctionRecord Record, IReadOnlyList<DeployedVersion> Versions, IReadOnlyDictionary<string, int> Aliases)
{
    /// <summary>The serving alias: what <c>/fn/{name}</c> and OIP calls without a version use.</summary>
    public const string ServingAlias = "prod";

    /// <summary>The version <c>latest</c> points at: the newest deployed.</summary>
    public DeployedVersion Latest => Find(Aliases["latest"])!;

    /// <summary>Its releases, oldest first.</summary>
    public IReadOnlyList<ReleaseRecord> Releases { get; init; } = [];

    /// <summary>Where the serving alias sends calls: one version, or two with shares during a release.</summary>
    public TrafficSplit Split { get; init; } = new(0);

    /// <summary>The version serving everyone outside a release's canary.</summary>
    public DeployedVersion Stable => Find(Split.Stable) ?? Latest;

    /// <summary>The version a running release moves traffic to, or null.</summary>
    public DeployedVersion? Canary => Split.Canary is { } canary ? Find(canary) : null;

    /// <summary>The release running now, or null.</summary>
    public ReleaseRecord? Running => Releases.Count > 0 && Releases[^1].IsRunning ? Releases[^1] : null;

    /// <summary>True when <paramref name="version"/> takes traffic through the serving alias.</summary>
    public bool Serves(int version) => Split.Stable == version || (Split.Splits && Split.Canary == version);

    /// <summary>
    /// The version for one call through the serving alias: the caller of business
    /// <paramref name="bid"/> named by <paramref name="key"/> (null: a caller without a key, placed
    /// at random for this call).
    /// </summary>
    public DeployedVersion Serve(string? bid, string? key)
    {
        if (!Split.Splits || Canary is not { } canary)
        {
            return Stable;
        }

        int bucket = key is null ? Random.Shared.Next(100) : TrafficSplit.Bucket(key, canary.Version);
        return Split.Choose(bid, bucket) == canary.Version ? canary : Stable;
    }

    /// <summary>Version <paramref name="version"/>, or null.</summary>
    public DeployedVersion? Find(int version)
    {
        foreach (DeployedVersion v in Versions)
        {
            if (v.Version == version)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>
    /// The split its aliases and running release make: <c>prod</c> (or <c>latest</c>, in a store
    /// from before releases) is the stable version; a running release adds its new version at its
    /// share, for the businesses and with the sticky header of that version's <c>release</c> key.
    /// </summary>
    internal DeployedFunction WithSplit()
    {
        int stable = Aliases.TryGetValue(ServingAlias, out int serving) && Find(serving) is not null ? serving : Aliases["latest"];
        var split = new TrafficSplit(stable);
        if (Running is { } running && Find(running.To) is { } canary)
        {
            ReleaseSpec spec = canary.Spec.Release ?? new ReleaseSpec();
            split = new TrafficSplit(stable, running.To, running.Percent)
            {
                Bids = spec.Bids.ToHashSet(StringComparer.Ordinal),
                Sticky = spec.Sticky,
            };
        }

        return this with { Split = split };
    }
}

/// <summary>
/// The functions the request path serves, as an immutable snapshot swapped atomically on every
/// change: readers never lock, writers (deploy, delete) rebuild and publish.
/// </summary>
public sealed class FunctionCatalog(IFunctionStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private FrozenDictionary<string, DeployedFunction> _functions = FrozenDictionary<string, DeployedFunction>.Empty;

    /// <summary>The current snapshot.</summary>
    public FrozenDictionary<string, DeployedFunction> Functions => Volatile.Read(ref _functions);

    /// <summary>Loads everything from the store (at start).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var all = await store.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        var releases = (await store.LoadReleasesAsync(cancellationToken).ConfigureAwait(false)).ToLookup(r => r.Function, StringComparer.Ordinal);
        var map = new Dictionary<string, DeployedFunction>();
        foreach (var (function, versions, aliases) in all)
        {
            if (versions.Count > 0 && aliases.ContainsKey("latest"))
            {
                map[function.Name] = new DeployedFunction(function, versions.Select(ToDeployed).ToList(), aliases)
                {
                    Releases = releases[function.Name].OrderBy(r => r.Id).ToList(),
                }.WithSplit();
            }
        }

        Volatile.Write(ref _functions, map.ToFrozenDictionary());
    }

    /// <summary>
    /// Resolves a function and an optional version ("3", "latest", an alias) to a deployed version,
    /// or null. Without one (or with <c>prod</c>), the serving alias decides: during a release, the
    /// caller of business <paramref name="bid"/> named by <paramref name="key"/> keeps one version.
    /// </summary>
    public DeployedVersion? Resolve(string name, string? version, string? bid = null, string? key = null)
    {
        if (!Functions.TryGetValue(name, out DeployedFunction? function))
        {
            return null;
        }

        if (version is null or "" or DeployedFunction.ServingAlias)
        {
            return function.Serve(bid, key);
        }

        if (version == "latest")
        {
            return function.Latest;
        }

        if (function.Aliases.TryGetValue(version, out int aliased))
        {
            return function.Find(aliased);
        }

        return int.TryParse(version, out int number) ? function.Find(number) : null;
    }

    /// <summary>Runs <paramref name="change"/> against the store under the write lock, then reloads the snapshot.</summary>
    public async Task<T> ChangeAsync<T>(Func<IFunctionStore, Task<T>> change, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            T result = await change(store).ConfigureAwait(false);
            await LoadAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static DeployedVersion ToDeployed(VersionRecord record)
    {
        SpecParseResult parsed = SpecParser.Parse(record.SpecText);
        FunctionSpec spec = parsed.Spec ?? throw new InvalidDataException(
            $"stored spec of {record.Function} v{record.Version} no longer parses: {string.Join("; ", parsed.Errors)}");
        ReadyReport metadata = ReadyReport.Parse(record.MetadataJson);
        return new DeployedVersion(record, spec, metadata);
    }
}
