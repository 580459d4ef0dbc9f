using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serval.Cli.Api;
using Serval.Cli.Output;
using Serval.Cli.Tensors;
using Serval.Core.Oip;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>
/// <c>invoke NAME</c>: one inference over the Open Inference Protocol, with a JSON request file
/// (<c>--data</c>) or raw tensor files (<c>INPUT=@FILE</c>, sent with the binary extension); or a raw
/// body to <c>POST /fn/NAME</c> (<c>--body FILE</c>). <c>--async</c> makes it a job: answered at once
/// with the job's id.
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
        var output = new Option<string?>("--output") { Description = "write the whole answer to this file (JSON for tensors; the body as it is with --body)", HelpName = "FILE" };
        var body = new Option<string?>("--body") { Description = "send this file as the raw body of POST /fn/NAME (a dotnet function's input)", HelpName = "FILE" };
        var contentType = new Option<string?>("--content-type") { Description = "the --body's content type (default: from its extension, else application/octet-stream)", HelpName = "TYPE" };
        var isAsync = new Option<bool>("--async") { Description = "run it as a job: print the job's id at once (follow it with job, job wait)" };
        var key = new Option<string?>("--key") { Description = "with --async, an Idempotency-Key: the same key again returns the same job", HelpName = "KEY" };
        var command = new Command("invoke", "call a function (over the Open Inference Protocol, or with a raw --body) and print its answer")
        {
            name, inputs, version, data, shapes, datatypes, output, body, contentType, isAsync, key,
        };
        command.SetAction(async (parse, ct) =>
        {
            string fn = parse.GetValue(name)!;
            string? v = parse.GetValue(version);
            string model = $"v2/models/{ServalClient.Segment(fn)}" + (v is null ? "" : $"/versions/{ServalClient.Segment(v)}");
            string[] inputArgs = parse.GetValue(inputs) ?? [];
            string? dataFile = parse.GetValue(data);
            string? bodyFile = parse.GetValue(body);
            bool async = parse.GetValue(isAsync);
            string? idempotencyKey = parse.GetValue(key);
            using var client = host.Connect(parse);

            if (idempotencyKey is not null && !async)
            {
                throw new CliException("--key is for jobs: add --async");
            }

            if (bodyFile is not null && (dataFile is not null || inputArgs.Length > 0))
            {
                throw new CliException("give --body FILE, or the tensor inputs (INPUT=@FILE or --data FILE.json), not both");
            }

            if (dataFile is not null && inputArgs.Length > 0)
            {
                throw new CliException("give either --data FILE.json or INPUT=@FILE arguments, not both");
            }

            if (bodyFile is null && dataFile is null && inputArgs.Length == 0)
            {
                throw new CliException("give the inputs: INPUT=@FILE arguments (with --shape), --data FILE.json, or --body FILE");
            }

            HttpRequestMessage request;
            if (bodyFile is not null)
            {
                string path = $"fn/{ServalClient.Segment(fn)}" + (v is null ? "" : $"?version={Uri.EscapeDataString(v)}");
                request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(await ReadFileAsync(bodyFile, "--body", ct)) };
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(parse.GetValue(contentType) ?? ContentTypeOf(bodyFile));
            }
            else if (dataFile is not null)
            {
                request = new HttpRequestMessage(HttpMethod.Post, model + "/infer") { Content = new ByteArrayContent(await ReadFileAsync(dataFile, "--data", ct)) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            else
            {
                var tensors = await InvokeInputs.BuildAsync(
                    client, model, inputArgs, parse.GetValue(shapes) ?? [], parse.GetValue(datatypes) ?? [], ct);
                var encoded = OipWriter.Encode(new OipFields(BinaryDataOutput: true), "inputs", tensors, _ => true);
                request = new HttpRequestMessage(HttpMethod.Post, model + "/infer") { Content = new ByteArrayContent(encoded.Body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(OipBinary.ContentType);
                request.Headers.TryAddWithoutValidation(OipBinary.HeaderLengthName, encoded.HeaderLength.ToString());
            }

            if (async)
            {
                request.Headers.Add(Jobs.TypeHeader, "async");
                if (idempotencyKey is not null)
                {
                    request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
                }
            }

            using var response = await client.SendAsync(request, ct);
            await ServalClient.EnsureSuccessAsync(response, ct);
            if (async)
            {
                return await AcceptedAsync(host, client, response, ct);
            }

            if (bodyFile is not null)
            {
                return await RawAnswerAsync(host, response, parse.GetValue(output), ct);
            }

            byte[] answerBytes = await response.Content.ReadAsByteArrayAsync(ct);
            OipMessage answer;
            try
            {
                answer = OipReader.Read(answerBytes, HeaderLength(response));
            }
            catch (OipException e)
            {
                throw new CliException($"cannot read the answer: {e.Message}");
            }

            if (parse.GetValue(output) is { } outputFile)
            {
                var (json, _) = OipWriter.Write(new OipFields(answer.Id, answer.ModelName, answer.ModelVersion), "outputs", answer.Outputs, _ => false);
                string indented = JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
                await File.WriteAllTextAsync(outputFile, indented, ct);
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

    /// <summary>The job's id on its own line (for scripts), then how to follow it.</summary>
    private static async Task<int> AcceptedAsync(CliHost host, ServalClient client, HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new CliException($"expected 202 Accepted for an async invocation, got {(int)response.StatusCode}: is the platform older than async invocations?");
        }

        JsonElement accepted = await client.ReadJsonAsync(response, ct);
        string id = JsonFields.Text(accepted, "id");
        host.Console.Write(new Text(id + "\n"));
        string replayed = JsonFields.Text(accepted, "replayed") == "true" ? $"the key names an existing job ({JsonFields.Text(accepted, "status")}); " : "";
        host.Console.MarkupLine($"[dim]{Markup.Escape(replayed)}follow it: ./serval job {Markup.Escape(id)} · ./serval job wait {Markup.Escape(id)}[/]");
        return 0;
    }

    /// <summary>A raw answer: JSON indented, text as it is, anything else summarised (and written whole with --output).</summary>
    private static async Task<int> RawAnswerAsync(CliHost host, HttpResponseMessage response, string? outputFile, CancellationToken ct)
    {
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(ct);
        string type = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        if (outputFile is not null)
        {
            await File.WriteAllBytesAsync(outputFile, bytes, ct);
        }

        if (type.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(bytes);
                host.Console.Write(new Text(JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true }) + "\n"));
            }
            catch (JsonException)
            {
                host.Console.Write(new Text(System.Text.Encoding.UTF8.GetString(bytes) + "\n"));
            }
        }
        else if (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            host.Console.Write(new Text(System.Text.Encoding.UTF8.GetString(bytes) + "\n"));
        }
        else
        {
            host.Console.MarkupLine($"[dim]{bytes.Length} bytes of {Markup.Escape(type)}{(outputFile is null ? ": save them with --output FILE" : $" written to {Markup.Escape(outputFile)}")}[/]");
        }

        if (Footer(response) is { Length: > 0 } footer)
        {
            host.Console.MarkupLine($"[dim]{Markup.Escape(footer)}[/]");
        }

        return 0;
    }

    /// <summary>A body file's content type from its extension.</summary>
    private static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".txt" => "text/plain",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    };

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
