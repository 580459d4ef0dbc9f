using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Serval.Cli.Api;
using Serval.Cli.Output;
using Serval.Cli.Tensors;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>
/// <c>invoke NAME</c>: one inference over the Open Inference Protocol, with a JSON request file
/// (<c>--data</c>) or raw tensor files (<c>INPUT=@FILE</c>, sent with the binary extension).
/// </summary>
internal static class InvokeCommand
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "the function" };
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "a file of raw little-endian elements per input (x=@img.bin)",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "INPUT=@FILE",
        };
        var version = new Option<string?>("--version") { Description = "the version to call (default: latest)", HelpName = "V" };
        var data = new Option<string?>("--data") { Description = "an OIP v2 infer request in JSON, sent as it is", HelpName = "FILE.json" };
        var shapes = new Option<string[]>("--shape")
        {
            Description = "an input's shape, INPUT=1,3,48,320 (default: the model's, its one dynamic dimension worked out from the file size)",
            HelpName = "INPUT=DIMS",
        };
        var datatypes = new Option<string[]>("--datatype")
        {
            Description = "an input's datatype, INPUT=FP32 (default: the model's, else FP32)",
            HelpName = "INPUT=TYPE",
        };
        var output = new Option<string?>("--output") { Description = "write the whole answer as JSON to this file", HelpName = "FILE" };
        var command = new Command("invoke", "call a function over the Open Inference Protocol and print its outputs")
        {
            name, inputs, version, data, shapes, datatypes, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            string fn = parse.GetValue(name)!;
            string? v = parse.GetValue(version);
            string model = $"v2/models/{ServalClient.Segment(fn)}" + (v is null ? "" : $"/versions/{ServalClient.Segment(v)}");
            string[] inputArgs = parse.GetValue(inputs) ?? [];
            string? dataFile = parse.GetValue(data);
            using var client = host.Connect(parse);

            if (dataFile is not null && inputArgs.Length > 0)
            {
                throw new CliException("give either --data FILE.json or INPUT=@FILE arguments, not both");
            }

            if (dataFile is null && inputArgs.Length == 0)
            {
                throw new CliException("give the inputs: INPUT=@FILE arguments (with --shape), or --data FILE.json");
            }

            var request = new HttpRequestMessage(HttpMethod.Post, model + "/infer");
            if (dataFile is not null)
            {
                request.Content = new ByteArrayContent(await ReadFileAsync(dataFile, "--data", ct));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            else
            {
                var tensors = await InvokeInputs.BuildAsync(
                    client, model, inputArgs, parse.GetValue(shapes) ?? [], parse.GetValue(datatypes) ?? [], ct);
                var encoded = OipBinary.EncodeRequest(tensors);
                request.Content = new ByteArrayContent(encoded.Body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(OipBinary.ContentType);
                request.Headers.TryAddWithoutValidation(OipBinary.HeaderLengthName, encoded.HeaderLength.ToString());
            }

            using var response = await client.SendAsync(request, ct);
            await ServalClient.EnsureSuccessAsync(response, ct);
            byte[] body = await response.Content.ReadAsByteArrayAsync(ct);
            OipMessage answer;
            try
            {
                answer = OipBinary.Decode(body, HeaderLength(response));
            }
            catch (FormatException e)
            {
                throw new CliException($"cannot read the answer: {e.Message}");
            }

            if (parse.GetValue(output) is { } outputFile)
            {
                string json = OipBinary.ToJson(answer).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
                await File.WriteAllTextAsync(outputFile, json, ct);
            }

            host.Console.Write(TensorTable.Build(answer.Outputs));
            if (Footer(response) is { Length: > 0 } footer)
            {
                host.Console.MarkupLine($"[dim]{Markup.Escape(footer)}[/]");
            }

            return 0;
        });
        return command;
    }

    /// <summary>"version 3 · 12.4 ms · cold start · instance i-2 · request 8f2c" from the X-Serval-* headers.</summary>
    public static string Footer(HttpResponseMessage response)
    {
        var parts = new List<string>();
        if (Header(response, "X-Serval-Version") is { } version)
        {
            parts.Add($"version {version}");
        }

        if (Header(response, "X-Serval-Duration-Ms") is { } duration)
        {
            parts.Add($"{duration} ms");
        }

        if (Header(response, "X-Serval-Cold-Start") is { } cold)
        {
            parts.Add(string.Equals(cold, "true", StringComparison.OrdinalIgnoreCase) ? "cold start" : "warm");
        }

        if (Header(response, "X-Serval-Instance") is { } instance)
        {
            parts.Add($"instance {instance}");
        }

        if (Header(response, "X-Request-Id") is { } id)
        {
            parts.Add($"request {id}");
        }

        return string.Join(" · ", parts);
    }

    private static int? HeaderLength(HttpResponseMessage response) =>
        Header(response, OipBinary.HeaderLengthName) is { } text
            ? int.TryParse(text, out int length) ? length : throw new CliException($"the answer's {OipBinary.HeaderLengthName} is '{text}'")
            : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    private static async Task<byte[]> ReadFileAsync(string path, string what, CancellationToken ct) =>
        File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : throw new CliException($"{what}: no such file {path}");
}
