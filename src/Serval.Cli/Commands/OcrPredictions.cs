using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Serval.Cli.Api;
using Serval.Ocr.Evaluation;

namespace Serval.Cli.Commands;

/// <summary>One image of the set as the function read it: the lines it answered and how long the call took.</summary>
internal sealed record OcrPrediction(OcrTruth Truth, IReadOnlyList<string> Lines, double LatencyMs);

/// <summary>
/// Sends every image of a set to <c>POST /fn/NAME/predict</c> as <c>{"jsonData": "&lt;base64&gt;"}</c>,
/// at most <c>concurrency</c> at a time, and reads the lines out of each answer. The first failure
/// stops the run with a line naming the image.
/// </summary>
internal static class OcrPredictions
{
    public static async Task<OcrPrediction[]> RunAsync(
        ServalClient client, string function, string folder, IReadOnlyList<OcrTruth> set, int concurrency, TimeProvider time, CancellationToken ct)
    {
        string path = $"fn/{ServalClient.Segment(function)}/predict";
        var predictions = new OcrPrediction[set.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, set.Count), options, async (i, token) =>
        {
            predictions[i] = await PredictAsync(client, path, folder, set[i], time, token);
        });
        return predictions;
    }

    private static async Task<OcrPrediction> PredictAsync(
        ServalClient client, string path, string folder, OcrTruth truth, TimeProvider time, CancellationToken ct)
    {
        byte[] image = await File.ReadAllBytesAsync(OcrEvalSet.ImagePath(folder, truth), ct);
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            // Base64 needs no JSON escaping.
            Content = new ByteArrayContent(Encoding.ASCII.GetBytes("{\"jsonData\":\"" + Convert.ToBase64String(image) + "\"}")),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        long start = time.GetTimestamp();
        using var response = await client.SendAsync(request, ct);
        string body = await response.Content.ReadAsStringAsync(ct);
        double latencyMs = time.GetElapsedTime(start).TotalMilliseconds;

        if (!response.IsSuccessStatusCode)
        {
            // The server's {"error"} text, else "HTTP 502 Bad Gateway: <start of the body>".
            string message = await ServalClient.ErrorMessageAsync(response, ct);
            string status = $"HTTP {(int)response.StatusCode}";
            throw new CliException($"{truth.Image}: /{path} answered " + (message.StartsWith(status, StringComparison.Ordinal) ? message : $"{status}: {message}"));
        }

        try
        {
            using var answer = JsonDocument.Parse(body);
            return new OcrPrediction(truth, PredictAnswer.ReadLines(answer.RootElement), latencyMs);
        }
        catch (JsonException)
        {
            throw new CliException($"{truth.Image}: /{path} answered something that is not JSON: {ServalClient.FirstLine(body)}");
        }
        catch (FormatException e)
        {
            throw new CliException($"{truth.Image}: /{path}: {e.Message}");
        }
    }
}
