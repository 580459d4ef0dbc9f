using System.CommandLine;
using System.Net;
using Serval.Cli.Api;
using Serval.Cli.Output;
using Serval.Cli.Packaging;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>
/// <c>deploy DIR|FILE</c>: reads the template, builds a <c>dotnet</c> function with
/// <c>dotnet publish</c>, and uploads the template and the package to <c>POST /v1/functions</c>.
/// An <c>onnx</c> package is the files named by <c>model</c>/<c>models</c>; a <c>dotnet</c> package
/// is the published output plus those files.
/// </summary>
internal static class DeployCommand
{
    public static Command Create(CliHost host)
    {
        var path = new Argument<string>("path") { Description = "the function's folder, or its serval.yaml", HelpName = "DIR|FILE" };
        var command = new Command("deploy", "deploy a function: its serval.yaml and files (dotnet functions are built first)") { path };
        command.SetAction(async (parse, ct) =>
        {
            var (specPath, folder) = PackageFiles.Locate(parse.GetValue(path)!);
            string specText = await File.ReadAllTextAsync(specPath, ct);
            var spec = SpecFile.Parse(specText);
            using var client = host.Connect(parse);
            string? publishDir = null;
            try
            {
                List<PackageFile> files;
                if (spec.Runtime == "dotnet")
                {
                    publishDir = Path.Combine(Path.GetTempPath(), "serval-publish-" + Guid.NewGuid().ToString("N")[..12]);
                    files = await PublishAsync(host, client, folder, spec, publishDir, ct);
                }
                else if (spec.Runtime is null && spec.IsPlan)
                {
                    files = [];
                }
                else if (spec.Runtime is null)
                {
                    throw new CliException($"{PackageFiles.SpecName}: runtime: is missing (onnx or dotnet; or plan: for steps over functions)");
                }
                else
                {
                    files = PackageFiles.ModelFiles(folder, spec);
                }

                return await UploadAsync(host, client, spec, specText, files, ct);
            }
            finally
            {
                if (publishDir is not null && Directory.Exists(publishDir))
                {
                    Directory.Delete(publishDir, recursive: true);
                }
            }
        });
        return command;
    }

    private static async Task<List<PackageFile>> PublishAsync(
        CliHost host, ServalClient client, string folder, SpecFile spec, string publishDir, CancellationToken ct)
    {
        string project = PackageFiles.FindProject(folder, spec.Entry);

        // Fails at once with "cannot reach Serval" rather than after a build of many seconds.
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "v2/health/live"), ct)).Dispose();

        string what = $"building {Path.GetFileName(project)} (dotnet publish)";
        if (host.Console.IsLive())
        {
            await host.Console.Status().StartAsync(Markup.Escape(what), _ => DotnetPublish.RunAsync(project, publishDir, ct));
        }
        else
        {
            await DotnetPublish.RunAsync(project, publishDir, ct);
        }

        var files = PackageFiles.AllFiles(publishDir)
            .Where(f => f.RelativePath != PackageFiles.SpecName)
            .ToList();
        return PackageFiles.Merge(files, PackageFiles.ModelFiles(folder, spec));
    }

    private static async Task<int> UploadAsync(
        CliHost host, ServalClient client, SpecFile spec, string specText, List<PackageFile> files, CancellationToken ct)
    {
        var body = DeployRequest.Build(specText, files);
        HttpResponseMessage response;
        if (host.Console.IsLive())
        {
            long total = body.Headers.ContentLength ?? files.Sum(f => f.Size);
            string what = $"uploading {spec.Name ?? "function"}: {files.Count} files, {Formats.Bytes(total)}";
            response = await host.Console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(what), maxValue: total);
                    var content = new ProgressContent(body, sent => task.Value = sent);
                    var answer = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/functions") { Content = content }, ct);
                    task.Value = total;
                    return answer;
                });
        }
        else
        {
            response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/functions") { Content = body }, ct);
        }

        using (response)
        {
            await ServalClient.EnsureSuccessAsync(response, ct);
            var result = await client.ReadJsonAsync(response, ct);
            string digest = JsonFields.Text(result, "digest");
            string line = $"deployed {JsonFields.Text(result, "name")} version {JsonFields.Text(result, "version")} ({Formats.ShortDigest(digest)})";
            host.Console.Markup(Markup.Escape(line));
            host.Console.MarkupLine(response.StatusCode == HttpStatusCode.OK ? " [dim]unchanged: the same as the latest version[/]" : "");
            if (result.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var warning in warnings.EnumerateArray())
                {
                    host.Console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning.GetString() ?? "")}");
                }
            }

            return 0;
        }
    }
}
