namespace Serval.Server;

/// <summary>Settings of the all-in-one platform, from the command line (<c>--port</c>, <c>--data</c>, ...).</summary>
public sealed record ServalOptions
{
    /// <summary>The HTTP port on 127.0.0.1 (0 picks a free one). Default 8080.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>The address to listen on. Loopback by default; any other address turns auth on unless <c>--auth off</c>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>
    /// Whether every call but <c>/v2/health/*</c> needs a bearer key (<c>--auth on|off</c>); null for
    /// the default: on whenever <see cref="Host"/> is not loopback, off on loopback (a laptop's demo).
    /// </summary>
    public bool? Auth { get; init; }

    /// <summary>Whether auth is on: <see cref="Auth"/>, else on off loopback.</summary>
    public bool AuthEnabled => Auth ?? !(System.Net.IPAddress.TryParse(Host, out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>The data folder: database, blobs, packages, instance configs. Default <c>.serval/</c>.</summary>
    public string DataDirectory { get; init; } = ".serval";

    /// <summary>
    /// The largest request body accepted, for invocations and deploys. 64 MiB: a 4K RGB image as FP32
    /// is 95 MiB, so larger payloads should be sent as URLs or files; a model package can be bigger,
    /// and this can be raised with <c>--max-body-mb</c>.
    /// </summary>
    public long MaxBodyBytes { get; init; } = 64L << 20;

    /// <summary>The largest deploy upload (1 GiB; models are large). <c>--max-package-mb</c>.</summary>
    public long MaxPackageBytes { get; init; } = 1L << 30;

    /// <summary>What the node may host; null for this machine's cores and memory (less 1 GiB).</summary>
    public Serval.Node.Capacity.NodeCapacity? NodeCapacity { get; init; }

    /// <summary>The autoscaler's windows, target and rates (see <see cref="Serval.Core.Autoscaling.AutoscalerOptions"/>).</summary>
    public Serval.Core.Autoscaling.AutoscalerOptions Autoscaler { get; init; } = new();

    /// <summary>The clock every component uses (tests shift it to reach a scheduled time).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long past its deadline a cancelled invocation may go on before its instance is replaced (see <see cref="Serval.Node.NodeOptions.HungGrace"/>).</summary>
    public TimeSpan HungGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The dispatcher's queue limit, start back-off and hung grace (see <see cref="Dispatch.DispatchOptions"/>).</summary>
    public Dispatch.DispatchOptions Dispatch { get; init; } = new();

    /// <summary>Asynchronous invocations: payload limit, leases, back-off, retention (see <see cref="Async.AsyncOptions"/>).</summary>
    public Async.AsyncOptions Async { get; init; } = new();

    /// <summary>Release controller settings (tick, warm-up and drain bounds).</summary>
    public Releases.ReleaseOptions Releases { get; init; } = new();

    /// <summary>Time between autoscaling decisions (see <see cref="Scaling.ScalingLoopOptions.Tick"/>).</summary>
    public TimeSpan ScalingTick { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Generic instance processes kept started for cold starts (<c>--warm-pool N</c>, 0 for none).
    /// Default 2, the node's default; see <see cref="Serval.Node.NodeOptions.WarmPoolSize"/> for why.
    /// </summary>
    public int WarmPoolSize { get; init; } = 2;

    /// <summary>Whether instances cache ONNX Runtime's optimised graphs under the data folder (<c>--graph-cache on|off</c>). Default on.</summary>
    public bool GraphCache { get; init; } = true;

    /// <summary>Where traces are exported (OTLP, from the standard <c>OTEL_*</c> variables; off without an endpoint).</summary>
    public Monitoring.TracingOptions Tracing { get; init; } = new();

    /// <summary>The function logs' retention and buffer (see <see cref="Monitoring.Logs.LogOptions"/>).</summary>
    public Monitoring.Logs.LogOptions Logs { get; init; } = new();

    /// <summary>Cluster mode: the NATS servers, this process's roles, the node's id and labels (see <see cref="Cluster.ClusterOptions"/>).</summary>
    public Cluster.ClusterOptions Cluster { get; init; } = new();

    /// <summary>Alert rules, webhooks and the evaluation interval (<c>--alerts FILE</c>; the default rules without one).</summary>
    public Serval.Core.Alerts.AlertConfig Alerts { get; init; } = new();

    /// <summary>The price sheet every invocation and idle provisioned second is charged by (<c>--prices FILE</c>).</summary>
    public Serval.Core.Billing.PriceSheet Prices { get; init; } = new();

    /// <summary>Parses command-line arguments; unknown ones throw <see cref="ArgumentException"/> naming them.</summary>
    public static ServalOptions Parse(string[] args)
    {
        var options = new ServalOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--port" => options with { Port = int.TryParse(Value(), out int port) && port is >= 0 and <= 65535 ? port : throw new ArgumentException($"--port must be 0..65535, got '{args[i]}'") },
                "--data" => options with { DataDirectory = Value() },
                "--host" => options with { Host = Value() },
                "--max-body-mb" => options with { MaxBodyBytes = long.TryParse(Value(), out long mb) && mb > 0 ? mb << 20 : throw new ArgumentException($"--max-body-mb must be a positive number, got '{args[i]}'") },
                "--max-package-mb" => options with { MaxPackageBytes = long.TryParse(Value(), out long pmb) && pmb > 0 ? pmb << 20 : throw new ArgumentException($"--max-package-mb must be a positive number, got '{args[i]}'") },
                "--warm-pool" => options with { WarmPoolSize = int.TryParse(Value(), out int pool) && pool is >= 0 and <= 64 ? pool : throw new ArgumentException($"--warm-pool must be 0..64, got '{args[i]}'") },
                "--async-max-payload-mb" => options with { Async = options.Async with { MaxPayloadBytes = long.TryParse(Value(), out long amb) && amb is > 0 and <= 2047 ? amb << 20 : throw new ArgumentException($"--async-max-payload-mb must be 1..2047, got '{args[i]}'") } },
                "--async-retention-hours" => options with { Async = options.Async with { Retention = double.TryParse(Value(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double hours) && hours > 0 && hours <= 24 * 3650 ? TimeSpan.FromHours(hours) : throw new ArgumentException($"--async-retention-hours must be a positive number of hours, got '{args[i]}'") } },
                "--log-retention-hours" => options with { Logs = options.Logs with { Retention = double.TryParse(Value(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double logHours) && logHours > 0 && logHours <= 24 * 3650 ? TimeSpan.FromHours(logHours) : throw new ArgumentException($"--log-retention-hours must be a positive number of hours, got '{args[i]}'") } },
                "--nats" => options with { Cluster = options.Cluster with { Nats = Value() } },
                "--role" => options with { Cluster = options.Cluster with { Roles = Serval.Server.Cluster.ClusterOptions.ParseRoles(Value()) } },
                "--node-id" => options with { Cluster = options.Cluster with { NodeId = Value() is { Length: > 0 and <= 64 } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? id : throw new ArgumentException($"--node-id must be 1..64 letters, digits, '-' or '_', got '{args[i]}'") } },
                "--labels" => options with { Cluster = options.Cluster with { Labels = Serval.Server.Cluster.ClusterOptions.ParseLabels(Value()) } },
                "--relay-port" => options with { Cluster = options.Cluster with { RelayPort = int.TryParse(Value(), out int relay) && relay is >= 0 and <= 65535 ? relay : throw new ArgumentException($"--relay-port must be 0..65535, got '{args[i]}'") } },
                "--relay-host" => options with { Cluster = options.Cluster with { RelayHost = Value() } },
                "--replicas" => options with { Cluster = options.Cluster with { Replicas = int.TryParse(Value(), out int replicas) && replicas is 1 or 3 or 5 ? replicas : throw new ArgumentException($"--replicas must be 1, 3 or 5, got '{args[i]}'") } },
                "--alerts" => options with { Alerts = ReadFile(Value(), "--alerts", Serval.Core.Alerts.AlertConfigReader.Read) },
                "--prices" => options with { Prices = ReadFile(Value(), "--prices", Serval.Core.Billing.PriceSheetReader.Read) },
                "--auth" => options with { Auth = Value() switch { "on" => true, "off" => false, string v => throw new ArgumentException($"--auth must be on or off, got '{v}'") } },
                "--graph-cache" => options with { GraphCache = Value() switch { "on" => true, "off" => false, string v => throw new ArgumentException($"--graph-cache must be on or off, got '{v}'") } },
                _ => throw new ArgumentException($"unknown option '{args[i]}' (known: --port N, --data DIR, --host ADDR, --max-body-mb N, --max-package-mb N, --warm-pool N, --graph-cache on|off, --auth on|off, --async-max-payload-mb N, --async-retention-hours N, --log-retention-hours N, --alerts FILE, --prices FILE, --nats URLS, --role ROLES, --node-id ID, --labels K=V,..., --relay-port N, --relay-host ADDR, --replicas N)"),
            };
        }

        return options;
    }

    // A configuration file read at start: every problem with its line, or the file missing, is an ArgumentException.
    private static T ReadFile<T>(string path, string flag, Func<string, string, (T? Value, IReadOnlyList<string> Errors)> read)
        where T : class
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{flag} {path}: cannot be read: {e.Message}");
        }

        var (value, errors) = read(path, text);
        return value ?? throw new ArgumentException($"{flag}: " + string.Join("; ", errors));
    }
}
