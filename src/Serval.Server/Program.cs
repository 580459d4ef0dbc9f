using Serval.Server;

ServalOptions options;
try
{
    options = ServalOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"serval: {e.Message}");
    return 2;
}

WebApplication app;
try
{
    app = ServalHost.Build(options);
}
catch (Serval.Cluster.Connection.ClusterException e)
{
    Console.Error.WriteLine($"serval: {e.Message}");
    return 3;
}

await app.StartAsync();
Console.WriteLine($"serval: listening on {ServalHost.Address(app)} (data in {Path.GetFullPath(options.DataDirectory)})");
await app.WaitForShutdownAsync();
return 0;
