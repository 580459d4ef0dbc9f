using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Core.Autoscaling;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Node;
using Serval.Node.Capacity;
using Serval.Node.Instances;
using Serval.Node.Packages;
using Serval.Server.Deployment;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Monitoring;
using Serval.Server.Plans;
using Serval.Server.Storage;
using Serval.TestSupport;
using Serval.TestSupport.Instances;

namespace Serval.Server.Tests.Dispatch;

/// <summary>
/// The in-memory tier: the real supervisor, connections, dispatcher and plan runner over scripted
/// instance processes (<see cref="FakeInstances"/>) on a fake clock. No process starts; a test runs in
/// milliseconds and moves time itself.
/// </summary>
internal sealed class DispatchHarness : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "svd-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly MemoryStore _store = new();

    public DispatchHarness(DispatchOptions? options = null)
    {
        var node = new NodeOptions
        {
            RunDirectory = Path.Combine(_root, "run"),
            SocketDirectory = Path.Combine(_root, "s"),
            InstanceHostPath = "serval-instance",
            WarmPoolSize = 0,
        };
        Supervisor = new InstanceSupervisor(Instances.Launcher, node, new NodeCapacity(64, 1 << 20), Time, NullLogger<InstanceSupervisor>.Instance);
        var packages = new PackageCache(Path.Combine(_root, "packages"), digest => digest);
        Dispatcher = new Dispatcher(Supervisor, packages, new InstanceConfigFactory(node), options ?? new DispatchOptions(), new AutoscalerOptions(), Time);
        Catalog = new FunctionCatalog(_store);
        Plans = new PlanRunner(Catalog, Dispatcher, new InvocationRecorder(new FunctionStats(Time), new Metrics(), Supervisor), Time);
    }

    public FakeTimeProvider Time { get; } = new();

    public FakeInstances Instances { get; } = new();

    public InstanceSupervisor Supervisor { get; }

    public Dispatcher Dispatcher { get; }

    public FunctionCatalog Catalog { get; }

    public PlanRunner Plans { get; }

    /// <summary>A deployed version of <paramref name="yaml"/>, added to the catalog.</summary>
    public async Task<DeployedVersion> DeployAsync(string yaml)
    {
        SpecParseResult parsed = SpecParser.Parse(yaml);
        FunctionSpec spec = parsed.Spec ?? throw new ArgumentException(string.Join("; ", parsed.Errors), nameof(yaml));
        var record = new VersionRecord(spec.Name, 1, "digest-" + spec.Name, yaml, [], "{}", Time.GetUtcNow());
        _store.Add(record);
        await Catalog.LoadAsync(CancellationToken.None);
        return Catalog.Resolve(spec.Name, null)!;
    }

    /// <summary>A raw invocation with <paramref name="body"/>.</summary>
    public Task<InvocationResult> InvokeAsync(DeployedVersion version, string body, TimeSpan? timeout = null) =>
        Dispatcher.InvokeAsync(version, Raw(body), timeout, CancellationToken.None);

    public static RawRequest Raw(string body) => new("", "text/plain", [new("x-request-id", "r1")], Encoding.UTF8.GetBytes(body));

    /// <summary>The body of a successful raw answer (and gives its buffer back).</summary>
    public static string Text(InvocationResult result)
    {
        try
        {
            Assert.Null(result.Outcome.Error);
            var raw = Assert.IsType<RawResponse>(WireCodec.DecodeResult(result.Outcome.Body));
            return Encoding.UTF8.GetString(raw.Body.Span);
        }
        finally
        {
            result.Outcome.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stopping drains on the fake clock: move it until every instance is gone (bounded).
        Task disposing = Supervisor.DisposeAsync().AsTask();
        for (int i = 0; i < 200 && !disposing.IsCompleted; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(disposing, Task.Delay(10));
        }

        await disposing.WaitAsync(TimeSpan.FromSeconds(5));
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class MemoryStore : IFunctionStore
    {
        private readonly List<VersionRecord> _versions = [];

        public void Add(VersionRecord record)
        {
            lock (_versions)
            {
                _versions.Add(record);
            }
        }

        public Task<IReadOnlyList<(FunctionRecord Function, IReadOnlyList<VersionRecord> Versions, IReadOnlyDictionary<string, int> Aliases)>> LoadAllAsync(CancellationToken cancellationToken)
        {
            lock (_versions)
            {
                IReadOnlyList<(FunctionRecord, IReadOnlyList<VersionRecord>, IReadOnlyDictionary<string, int>)> all = _versions
                    .Select(v => (new FunctionRecord(v.Function, v.Created, v.Created), (IReadOnlyList<VersionRecord>)[v], (IReadOnlyDictionary<string, int>)new Dictionary<string, int> { ["latest"] = v.Version }))
                    .ToList();
                return Task.FromResult(all);
            }
        }

        public Task<VersionRecord> AddVersionAsync(string function, string digest, string specText, IReadOnlyList<PackageFile> files, string metadataJson, DateTimeOffset now, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<bool> DeleteFunctionAsync(string function, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<Serval.Server.Releases.ReleaseRecord>> LoadReleasesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Serval.Server.Releases.ReleaseRecord>>([]);

        public Task SaveReleaseAsync(Serval.Server.Releases.ReleaseRecord release, int? serving, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
