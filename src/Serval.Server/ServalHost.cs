using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serval.Node;
using Serval.Node.Capacity;
using Serval.Node.Instances;
using Serval.Node.Packages;
using Serval.Node.Processes;
using Serval.Server.Alerts;
using Serval.Server.Async;
using Serval.Server.Cluster;
using Serval.Server.Billing;
using Serval.Server.Deployment;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Gateway;
using Serval.Server.Monitoring;
using Serval.Server.Monitoring.Logs;
using Serval.Server.Plans;
using Serval.Server.Releases;
using Serval.Server.Scaling;
using Serval.Server.Security;
using Serval.Server.Storage;
using Serval.Server.Triggers;

namespace Serval.Server;

/// <summary>Builds the all-in-one platform: gateway, controller and one node agent in one process.</summary>
public static class ServalHost
{
    /// <summary>The application, configured but not started.</summary>
    public static WebApplication Build(ServalOptions options, Action<ILoggingBuilder>? logging = null)
    {
        var invalid = options.Dispatch.Validate().Concat(options.Autoscaler.Validate()).Concat(options.Async.Validate()).Concat(options.Releases.Validate()).ToList();
        if (invalid.Count > 0)
        {
            throw new ArgumentException("invalid settings: " + string.Join("; ", invalid));
        }

        string data = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(data);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = data });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxBodyBytes, options.MaxPackageBytes);
            // A whole model output (rec's is 1 MB) goes into Kestrel's pipe in one write instead of
            // stalling every 64 kB for the socket to drain.
            kestrel.Limits.MaxResponseBufferSize = 4 << 20;
        });

        var node = new NodeOptions
        {
            RunDirectory = Path.Combine(data, "run"),
            GraphCacheDirectory = options.GraphCache ? Path.Combine(data, "cache", "graphs") : null,
            HungGrace = options.HungGrace,
            // In a cluster the gateway's instances run on node agents: no local process would use a pool.
            WarmPoolSize = options.Cluster.Enabled ? 0 : options.WarmPoolSize,
        };
        IServiceCollection services = builder.Services;
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        services.AddSingleton(options);
        services.AddSingleton(node);
        services.AddSingleton(options.Time);
        services.AddSingleton<IFunctionStore>(_ => new SqliteFunctionStore(Path.Combine(data, "serval.db")));
        services.AddSingleton(_ => new BlobStore(Path.Combine(data, "blobs")));
        services.AddSingleton(sp => new PackageCache(Path.Combine(data, "packages"), sp.GetRequiredService<BlobStore>().PathOf));
        services.AddSingleton<IProcessLauncher, OsProcessLauncher>();
        services.AddSingleton(_ => options.NodeCapacity ?? NodeCapacity.OfThisMachine());
        services.AddSingleton<InstanceSupervisor>();
        services.AddSingleton<InstanceConfigFactory>();
        services.AddSingleton<FunctionCatalog>();
        services.AddSingleton<Deployer>();
        services.AddSingleton(options.Dispatch);
        services.AddSingleton(options.Autoscaler);
        services.AddSingleton(new ScalingLoopOptions { Tick = options.ScalingTick });
        services.AddSingleton<ScalingLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<ScalingLoop>());
        services.AddSingleton<Dispatcher>();
        services.AddSingleton(options.Releases);
        services.AddSingleton<ReleaseWindows>();
        services.AddSingleton<ReleaseController>();
        services.AddSingleton<ReleaseLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<ReleaseLoop>());
        services.AddSingleton<FunctionStats>();
        services.AddSingleton<Metrics>();
        services.AddSingleton(options.Logs);
        services.AddSingleton(sp => new FunctionLogs(Path.Combine(data, "logs.db"), options.Logs, options.Time));
        services.AddHostedService(sp => sp.GetRequiredService<FunctionLogs>());
        services.AddSingleton(_ => new CostLedger(Path.Combine(data, "cost.db"), options.Prices, options.Time));
        services.AddSingleton<CostMeter>();
        services.AddHostedService(sp => sp.GetRequiredService<CostMeter>());
        services.AddSingleton(sp => new InvocationRecorder(sp.GetRequiredService<FunctionStats>(), sp.GetRequiredService<Metrics>(), sp.GetRequiredService<InstanceSupervisor>(), sp.GetRequiredService<FunctionLogs>(), options.Time, sp.GetRequiredService<ReleaseWindows>(), sp.GetRequiredService<CostLedger>()));
        services.AddSingleton<ScrapeGauges>();
        services.AddTracing(options.Tracing);
        services.AddSingleton(options.Async);
        services.AddSingleton<IInvocationStore>(_ => new SqliteInvocationStore(Path.Combine(data, "async.db")));
        services.AddSingleton<AsyncDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AsyncDispatcher>());
        services.AddSingleton<AsyncInvocations>();
        services.AddSingleton<WebhookDeliverer>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliverer>());
        services.AddSingleton<InvocationSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<InvocationSweeper>());
        services.AddSingleton(options.Alerts);
        services.AddSingleton<AlertObserver>();
        services.AddSingleton<AlertNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertNotifier>());
        services.AddSingleton<AlertLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertLoop>());
        services.AddSingleton<TriggerScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<TriggerScheduler>());
        services.AddSingleton<PlanRunner>();
        services.AddSingleton<RouteTable>();
        services.AddSingleton(_ => new SecurityDatabase(Path.Combine(data, "security.db")));
        services.AddSingleton<KeyStore>();
        services.AddSingleton<Keys>();
        services.AddSingleton<QuotaGate>();
        services.AddSingleton<AuditLog>();
        if (options.Cluster.Enabled)
        {
            Cluster.ClusterStartup.AddCluster(services, options, data);
        }

        WebApplication app = builder.Build();
        app.UseRouting();
        app.UseMiddleware<AccessMiddleware>();
        app.MapOip();
        app.MapFunctions();
        app.MapControl();
        app.MapReleases();
        app.MapMetrics();
        app.MapLogs();
        app.MapInvocations();
        app.MapTriggers();
        app.MapKeys();
        app.MapAudit();
        app.MapNodes();
        app.MapAlerts();
        app.MapCost();
        AccessStartup.Announce(app, options, data);
        _ = app.Services.GetRequiredService<InvocationRecorder>(); // subscribes to the events it counts
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<InstanceSupervisor>().Pool?.Fill());
        // On shutdown, first hand the asynchronous runs back to the queue (while their instances still
        // answer), then stop instances (the container disposes the supervisor too; the second time does nothing).
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            app.Services.GetRequiredService<AsyncDispatcher>().StopAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(15));
            app.Services.GetRequiredService<InstanceSupervisor>().DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(15));
        });
        app.Services.GetRequiredService<FunctionCatalog>().LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
        return app;
    }

    /// <summary>The address the started application listens on (useful with port 0).</summary>
    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
