using Serval.Core.Tensors;

namespace Serval.Core.Wire;

/// <summary>
/// One invocation's request, as the dispatcher sends it and an instance decodes it: an
/// <see cref="InferRequest"/> or a <see cref="RawRequest"/>, the two operations of the protocol.
/// </summary>
public abstract record InvokeRequest
{
    private protected InvokeRequest()
    {
    }

    /// <summary>The operation its Invoke frame carries.</summary>
    public abstract InvokeOperation Operation { get; }

    /// <summary>The Invoke frame of this request for invocation <paramref name="id"/>, with the instance's deadline (0 = none).</summary>
    public abstract WireWriter Encode(ulong id, uint timeoutMs);
}

/// <summary>An Open Inference Protocol invocation: named inputs, and the outputs wanted (empty = all).</summary>
public sealed record InferRequest(NamedTensor[] Inputs, string[] RequestedOutputs) : InvokeRequest
{
    /// <inheritdoc/>
    public override InvokeOperation Operation => InvokeOperation.Infer;

    /// <inheritdoc/>
    public override WireWriter Encode(ulong id, uint timeoutMs) => WireCodec.EncodeInvoke(id, this, timeoutMs);
}

/// <summary>
/// An HTTP-like invocation for handler runtimes: the route (<c>""</c> for <c>/fn/{name}</c>,
/// <c>"predict"</c> for <c>/fn/{name}/predict</c>), the content type, selected headers and the body.
/// </summary>
public sealed record RawRequest(string Route, string ContentType, KeyValuePair<string, string>[] Headers, ReadOnlyMemory<byte> Body) : InvokeRequest
{
    /// <inheritdoc/>
    public override InvokeOperation Operation => InvokeOperation.Raw;

    /// <inheritdoc/>
    public override WireWriter Encode(ulong id, uint timeoutMs) => WireCodec.EncodeInvoke(id, this, timeoutMs);
}

/// <summary>The answer to a <see cref="RawRequest"/>.</summary>
public sealed record RawResponse(int StatusCode, string ContentType, ReadOnlyMemory<byte> Body);

/// <summary>Encodes and decodes the bodies of the instance protocol's frames (see <see cref="Frame"/>).</summary>
public static class WireCodec
{
    /// <summary>An Invoke frame carrying an <see cref="InferRequest"/>.</summary>
    public static WireWriter EncodeInvoke(ulong id, InferRequest request, uint timeoutMs)
    {
        int size = 64;
        foreach (NamedTensor input in request.Inputs)
        {
            size += input.Tensor.Data.Length + 64;
        }

        var writer = new WireWriter(FrameKind.Invoke, id, size);
        writer.WriteByte((byte)InvokeOperation.Infer);
        writer.WriteUInt32(timeoutMs);
        writer.WriteUInt16((ushort)request.Inputs.Length);
        foreach (NamedTensor input in request.Inputs)
        {
            writer.WriteTensor(input);
        }

        writer.WriteUInt16((ushort)request.RequestedOutputs.Length);
        foreach (string output in request.RequestedOutputs)
        {
            writer.WriteString(output);
        }

        return writer;
    }

    /// <summary>An Invoke frame carrying a <see cref="RawRequest"/>.</summary>
    public static WireWriter EncodeInvoke(ulong id, RawRequest request, uint timeoutMs)
    {
        var writer = new WireWriter(FrameKind.Invoke, id, request.Body.Length + 256);
        writer.WriteByte((byte)InvokeOperation.Raw);
        writer.WriteUInt32(timeoutMs);
        writer.WriteString(request.Route);
        writer.WriteString(request.ContentType);
        writer.WriteUInt16((ushort)request.Headers.Length);
        foreach (var (key, value) in request.Headers)
        {
            writer.WriteString(key);
            writer.WriteString(value);
        }

        writer.WriteBytes(request.Body.Span);
        return writer;
    }

    /// <summary>Decodes an Invoke body into its operation, timeout and request (an <see cref="InferRequest"/> or a <see cref="RawRequest"/>).</summary>
    public static (InvokeOperation Operation, uint TimeoutMs, InvokeRequest Request) DecodeInvoke(ReadOnlyMemory<byte> body)
    {
        var reader = new WireReader(body);
        var operation = (InvokeOperation)reader.ReadByte();
        uint timeout = reader.ReadUInt32();
        switch (operation)
        {
            case InvokeOperation.Infer:
                var inputs = new NamedTensor[reader.ReadUInt16()];
                for (int i = 0; i < inputs.Length; i++)
                {
                    inputs[i] = reader.ReadTensor();
                }

                var outputs = new string[reader.ReadUInt16()];
                for (int i = 0; i < outputs.Length; i++)
                {
                    outputs[i] = reader.ReadString();
                }

                return (operation, timeout, new InferRequest(inputs, outputs));
            case InvokeOperation.Raw:
                string route = reader.ReadString();
                string contentType = reader.ReadString();
                var headers = new KeyValuePair<string, string>[reader.ReadUInt16()];
                for (int i = 0; i < headers.Length; i++)
                {
                    headers[i] = new(reader.ReadString(), reader.ReadString());
                }

                return (operation, timeout, new RawRequest(route, contentType, headers, reader.ReadRest()));
            default:
                throw new InvalidDataException($"unknown invoke operation {(byte)operation}");
        }
    }

    /// <summary>The Assign frame that gives a pooled instance its function (id 0, the config's JSON as the body).</summary>
    public static WireWriter EncodeAssign(InstanceConfig config)
    {
        byte[] json = System.Text.Encoding.UTF8.GetBytes(config.ToJson());
        var writer = new WireWriter(FrameKind.Assign, 0, json.Length);
        writer.WriteBytes(json);
        return writer;
    }

    /// <summary>Decodes an Assign body; throws <see cref="InvalidDataException"/> or <see cref="System.Text.Json.JsonException"/> when it is not a config.</summary>
    public static InstanceConfig DecodeAssign(ReadOnlySpan<byte> body) => InstanceConfig.FromJson(System.Text.Encoding.UTF8.GetString(body));

    /// <summary>Starts a Result frame for an Infer invocation; the caller appends <paramref name="count"/> tensors.</summary>
    public static WireWriter BeginInferResult(ulong id, int count, int sizeHint)
    {
        var writer = new WireWriter(FrameKind.Result, id, sizeHint + 16);
        writer.WriteByte((byte)InvokeOperation.Infer);
        writer.WriteUInt16((ushort)count);
        return writer;
    }

    /// <summary>A Result frame for a Raw invocation.</summary>
    public static WireWriter EncodeRawResult(ulong id, RawResponse response)
    {
        var writer = new WireWriter(FrameKind.Result, id, response.Body.Length + 64);
        writer.WriteByte((byte)InvokeOperation.Raw);
        writer.WriteUInt16((ushort)response.StatusCode);
        writer.WriteString(response.ContentType);
        writer.WriteBytes(response.Body.Span);
        return writer;
    }

    /// <summary>Decodes a Result body into named tensors or a <see cref="RawResponse"/>.</summary>
    public static object DecodeResult(ReadOnlyMemory<byte> body)
    {
        var reader = new WireReader(body);
        var operation = (InvokeOperation)reader.ReadByte();
        if (operation == InvokeOperation.Infer)
        {
            var outputs = new NamedTensor[reader.ReadUInt16()];
            for (int i = 0; i < outputs.Length; i++)
            {
                outputs[i] = reader.ReadTensor();
            }

            return outputs;
        }

        if (operation == InvokeOperation.Raw)
        {
            int status = reader.ReadUInt16();
            string contentType = reader.ReadString();
            return new RawResponse(status, contentType, reader.ReadRest());
        }

        throw new InvalidDataException($"unknown result operation {(byte)operation}");
    }

    /// <summary>An Error frame.</summary>
    public static WireWriter EncodeError(ulong id, InvokeError error)
    {
        var writer = new WireWriter(FrameKind.Error, id, error.Message.Length * 3 + 16);
        writer.WriteUInt16((ushort)error.Kind);
        writer.WriteString(error.Message);
        return writer;
    }

    /// <summary>Decodes an Error body.</summary>
    public static InvokeError DecodeError(ReadOnlyMemory<byte> body)
    {
        var reader = new WireReader(body);
        var kind = (ErrorKind)reader.ReadUInt16();
        return new InvokeError(kind, reader.ReadString());
    }
}
