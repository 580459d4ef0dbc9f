// The peer a C# team would write by hand: an ASP.NET Core minimal API around one ONNX Runtime
// session (the official package, in-process). POST / with the raw little-endian FP32 elements of the
// model's single input (shape in the X-Shape header) answers the first output's raw elements: the
// same contract as Serval's /fn/{name} and the Node.js peer.
//   dotnet AspNetOrtPeer.dll MODEL PORT [INTRA_OP_THREADS]
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

string model = args[0];
int port = args.Length > 1 ? int.Parse(args[1]) : 8091;
int threads = args.Length > 2 ? int.Parse(args[2]) : 1;

using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
using var session = new InferenceSession(model, options);
string inputName = session.InputNames[0];
string outputName = session.OutputNames[0];

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();
app.MapPost("/", async (HttpRequest request, HttpResponse response) =>
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body);
    float[] data = MemoryMarshal.Cast<byte, float>(body.GetBuffer().AsSpan(0, (int)body.Length)).ToArray();
    long[] shape = request.Headers["X-Shape"].ToString().Split(',').Select(long.Parse).ToArray();
    using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
    using var run = new RunOptions();
    using var outputs = session.Run(run, [inputName], [input], [outputName]);
    var output = outputs[0];
    byte[] bytes = MemoryMarshal.AsBytes(output.GetTensorDataAsSpan<float>()).ToArray();
    response.ContentType = "application/octet-stream";
    response.Headers["X-Shape"] = string.Join(",", output.GetTensorTypeAndShape().Shape);
    response.ContentLength = bytes.Length;
    await response.Body.WriteAsync(bytes);
});
await app.StartAsync();
Console.WriteLine($"peer ready on {port}");
await app.WaitForShutdownAsync();
