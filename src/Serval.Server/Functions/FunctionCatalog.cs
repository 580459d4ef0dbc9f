using System.Collections.Frozen;
using System.Text.Json;
using Serval.Core.Specs;
using Serval.Core.Wire;
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

/// <summary>A function with every version and its aliases.</summary>
public sealed record DeployedFunction(FunctionRecord Record, IReadOnlyList<DeployedVersion> Versions, IReadOnlyDictionary<string, int> Aliases)
{
    /// <summary>The version <c>latest</c> points at.</summary>
    public DeployedVersion Latest => Find(Aliases["latest"])!;

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
        var map = new Dictionary<string, DeployedFunction>();
        foreach (var (function, versions, aliases) in all)
        {
            if (versions.Count > 0 && aliases.ContainsKey("latest"))
            {
                map[function.Name] = new DeployedFunction(function, versions.Select(ToDeployed).ToList(), aliases);
            }
        }

        Volatile.Write(ref _functions, map.ToFrozenDictionary());
    }

    /// <summary>Resolves a function and an optional version ("3") to a deployed version, or null.</summary>
    public DeployedVersion? Resolve(string name, string? version)
    {
        if (!Functions.TryGetValue(name, out DeployedFunction? function))
        {
            return null;
        }

        if (version is null or "" or "latest")
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
