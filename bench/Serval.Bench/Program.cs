using Serval.Bench;

// dotnet Serval.Bench.dll [overhead|relay|auth|throughput|coldstart|scaleout|spiky|ocr|batching|async|fanout|release|decode|all] [--quick]
string which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
bool quick = args.Contains("--quick");
Console.WriteLine($"Serval benchmarks on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (which is "decode" or "all")
{
    // In-process, no platform: Skia against the managed decoders it replaced (bench/Serval.Bench/OldDecoders).
    DecodeBench.Run(rounds: quick ? 5 : 30);
}

if (which is "decode")
{
    return 0;
}

if (which is "relay" or "all")
{
    // In-process: one rec instance, its Unix socket against the node's TCP relay.
    await RelayHop.RunAsync(rounds: quick ? 2 : 10, perRound: 20);
}

if (which is "relay")
{
    return 0;
}

if (which is "auth" or "all")
{
    // Two platforms, auth on and off, called in alternating rounds.
    await AuthOverhead.RunAsync(rounds: quick ? 4 : 12, perRound: 50);
}

if (which is "auth")
{
    return 0;
}

if (which is "coldstart" or "all")
{
    // Each configuration starts its own platform (see ColdStart.Configurations).
    await ColdStart.RunAllAsync(rounds: quick ? 3 : 20);
}

if (which is "ocr" or "all")
{
    // Its own platform: the OCR service's instances take the node's cores.
    await using Platform ocr = await Platform.StartAsync();
    await OcrBench.EndToEndAsync(ocr, rounds: quick ? 1 : 3);
}

if (which is "batching" or "all")
{
    await using Platform batching = await Platform.StartAsync();
    await OcrBench.BatchingAsync(batching, TimeSpan.FromSeconds(quick ? 4 : 10));
}

if (which is "coldstart" or "ocr" or "batching")
{
    return 0;
}

await using Platform platform = await Platform.StartAsync();
if (which is "overhead" or "all")
{
    await Overhead.RunAsync(platform, "ovh-rec", Repo.Rec, [1, 3, 48, 320], rounds: quick ? 3 : 10, perRound: 20);
    await Overhead.RunAsync(platform, "ovh-cls", Repo.Cls, [1, 3, 48, 192], rounds: quick ? 3 : 10, perRound: 50);
}

if (which is "throughput" or "all")
{
    await Throughput.RunAsync(platform, Repo.Rec, [1, 3, 48, 320], clients: 8, duration: TimeSpan.FromSeconds(quick ? 3 : 10));
}

if (which is "scaleout" or "all")
{
    await ScaleOut.RunAsync(platform);
}

if (which is "spiky" or "all")
{
    await SpikyTrace.RunAsync(platform, quick ? 40 : 120);
}

if (which is "async" or "all")
{
    await AsyncThroughput.RunAsync(platform, invocations: quick ? 4000 : 20000, clients: 32, idleSamples: quick ? 50 : 200);
}

if (which is "fanout" or "all")
{
    await Fanout.RunAsync(platform, rounds: quick ? 1 : 3);
}

if (which is "release" or "all")
{
    await ReleaseSwitch.RunAsync(platform, rounds: quick ? 2 : 5);
}

return 0;
