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

WebApplication app = ServalHost.Build(options);
await app.StartAsync();
Console.WriteLine($"serval: listening on {ServalHost.Address(app)} (data in {Path.GetFullPath(options.DataDirectory)})");
await app.WaitForShutdownAsync();
return 0;
