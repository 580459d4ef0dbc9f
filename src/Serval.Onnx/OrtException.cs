using Microsoft.ML.OnnxRuntime;

namespace Serval.Onnx;

/// <summary>The codes of <c>OrtErrorCode</c> in the C API.</summary>
public enum OrtErrorCode
{
    /// <summary>Success (never thrown).</summary>
    Ok = 0,
    /// <summary>A generic failure.</summary>
    Fail = 1,
    /// <summary>An argument was not valid, such as a wrong input shape or type.</summary>
    InvalidArgument = 2,
    /// <summary>A file does not exist.</summary>
    NoSuchFile = 3,
    /// <summary>No model was loaded.</summary>
    NoModel = 4,
    /// <summary>The engine failed.</summary>
    EngineError = 5,
    /// <summary>An exception was thrown inside the runtime.</summary>
    RuntimeException = 6,
    /// <summary>The model is not a valid protobuf.</summary>
    InvalidProtobuf = 7,
    /// <summary>A model is already loaded.</summary>
    ModelLoaded = 8,
    /// <summary>Not implemented.</summary>
    NotImplemented = 9,
    /// <summary>The graph is not valid.</summary>
    InvalidGraph = 10,
    /// <summary>An execution provider failed.</summary>
    EpFail = 11,
}

/// <summary>An error reported by ONNX Runtime, with its code and the native message.</summary>
public sealed class OrtException(OrtErrorCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The native error code.</summary>
    public OrtErrorCode Code { get; } = code;

    /// <summary>
    /// The package's exception as Serval's: its message is <c>[ErrorCode:NAME] text</c>; the code
    /// becomes <see cref="Code"/> and the text the message, kept word for word.
    /// </summary>
    internal static OrtException From(OnnxRuntimeException e, string? prefix = null)
    {
        string message = e.Message;
        OrtErrorCode code = OrtErrorCode.Fail;
        if (message.StartsWith("[ErrorCode:", StringComparison.Ordinal) && message.IndexOf(']') is var end and > 0)
        {
            code = CodeNamed(message[11..end]);
            message = message[(end + 1)..].TrimStart();
        }

        return new OrtException(code, prefix + message, e);
    }

    private static OrtErrorCode CodeNamed(string name) => name switch
    {
        "ExecutionProviderFail" or "EPFail" => OrtErrorCode.EpFail,
        _ => Enum.TryParse(name, out OrtErrorCode parsed) ? parsed : OrtErrorCode.Fail,
    };
}
