using System.Text;
using System.Text.Json;
using Serval.Core.Tensors;
using Serval.Onnx;
using Serval.Sdk;

namespace HelloDotnet;

/// <summary>
/// <c>POST /fn/hello-dotnet</c> greets with the body's text; <c>POST /fn/hello-dotnet/predict</c>
/// takes <c>{"jsonData": "&lt;base64 of 3*48*192 float32 values&gt;"}</c> (one text-line image,
/// normalised as PP-OCR expects) and answers the angle classifier's [p(0°), p(180°)].
/// </summary>
public sealed class Handler(FunctionContext context) : IFunctionHandler
{
    private static readonly long[] ClsShape = [1, 3, 48, 192];
    private static readonly int ClsBytes = 3 * 48 * 192 * sizeof(float);

    private readonly InferenceSession _cls = context.Models.TryGetValue("cls", out InferenceSession? cls)
        ? cls
        : throw new InvalidOperationException("serval.yaml must declare models: { cls: ch_ppocr_mobile_v2.0_cls_infer.onnx }");

    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request.Route switch
        {
            "" => Greet(request, context),
            "predict" => Predict(request, cancellationToken),
            _ => FunctionResponse.Json(new { error = $"no route '{request.Route}'" }, 404),
        });

    private static FunctionResponse Greet(FunctionRequest request, FunctionContext context) =>
        FunctionResponse.Json(new { hello = Encoding.UTF8.GetString(request.Body.Span), function = context.FunctionName, version = context.Version });

    private FunctionResponse Predict(FunctionRequest request, CancellationToken cancellationToken)
    {
        byte[] pixels;
        try
        {
            using JsonDocument body = JsonDocument.Parse(request.Body);
            if (!body.RootElement.TryGetProperty("jsonData", out JsonElement data) || data.ValueKind != JsonValueKind.String)
            {
                return FunctionResponse.BadRequest("the body must be {\"jsonData\": \"<base64>\"}");
            }

            pixels = data.GetBytesFromBase64();
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return FunctionResponse.BadRequest($"the body must be {{\"jsonData\": \"<base64>\"}}: {e.Message}");
        }

        if (pixels.Length != ClsBytes)
        {
            return FunctionResponse.BadRequest($"jsonData must hold 3*48*192 float32 values ({ClsBytes} bytes), got {pixels.Length} bytes");
        }

        NamedTensor[] outputs = _cls.Run([new NamedTensor("x", Tensor.FromBytes(TensorElementType.Float, ClsShape, pixels))], cancellationToken);
        ReadOnlySpan<float> p = outputs[0].Tensor.AsSpan<float>();
        return FunctionResponse.Json(new
        {
            code = 0,
            request_id = request.RequestId,
            data = new { msg = new { }, ndarray = new[] { new[] { p[0], p[1] } } },
        });
    }
}
