using Serval.Core.Tensors;

namespace Serval.TestSupport.Onnx;

/// <summary>
/// Writes tiny valid ONNX models (IR version 8, default opset 17) by hand-encoding the protobuf,
/// so tests can load real models of any element type and shape through real ONNX Runtime.
/// Field numbers are those of onnx/onnx.proto.
/// </summary>
public static class OnnxModels
{
    /// <summary>The IR version written (ONNX 1.10+, read by every ORT since 1.10).</summary>
    public const long IrVersion = 8;

    /// <summary>The default-domain opset written.</summary>
    public const long Opset = 17;

    /// <summary>y = Identity(x), input "x" and output "y" of <paramref name="type"/> and <paramref name="shape"/>.</summary>
    public static byte[] Identity(TensorElementType type, params OnnxDim[] shape) => Build(
        "identity",
        [new OnnxNode("Identity", ["x"], ["y"])],
        [new OnnxValue("x", type, shape)],
        [new OnnxValue("y", type, shape)]);

    /// <summary>sum = Add(a, b): two inputs "a" and "b" and output "sum", all of one type and shape.</summary>
    public static byte[] Add(TensorElementType type, params OnnxDim[] shape) => Build(
        "add",
        [new OnnxNode("Add", ["a", "b"], ["sum"])],
        [new OnnxValue("a", type, shape), new OnnxValue("b", type, shape)],
        [new OnnxValue("sum", type, shape)]);

    /// <summary>
    /// A deliberately slow model: input "x" FP32 [size,size], then <paramref name="depth"/> chained
    /// MatMuls by x, output "y". At size 256 each MatMul is 2·256³ ≈ 34 MFLOP, a few ms on one core,
    /// so a run has many node boundaries at which a termination request is seen.
    /// </summary>
    public static byte[] MatMulChain(int size, int depth)
    {
        var nodes = new OnnxNode[depth];
        string previous = "x";
        for (int i = 0; i < depth; i++)
        {
            string output = i == depth - 1 ? "y" : $"m{i}";
            nodes[i] = new OnnxNode("MatMul", [previous, "x"], [output]);
            previous = output;
        }

        OnnxDim[] shape = [size, size];
        return Build("matmul_chain", nodes, [new OnnxValue("x", TensorElementType.Float, shape)],
            [new OnnxValue("y", TensorElementType.Float, shape)]);
    }

    /// <summary>seq = SequenceConstruct(x): a model whose output is a sequence, not a tensor.</summary>
    public static byte[] SequenceOutput() => Build(
        "sequence",
        [new OnnxNode("SequenceConstruct", ["x"], ["seq"])],
        [new OnnxValue("x", TensorElementType.Float, ["N"])],
        [new OnnxValue("seq", TensorElementType.Float, ["N"], Sequence: true)]);

    /// <summary>Encodes a ModelProto with one graph of <paramref name="nodes"/>.</summary>
    public static byte[] Build(string graphName, IEnumerable<OnnxNode> nodes, IEnumerable<OnnxValue> inputs, IEnumerable<OnnxValue> outputs)
    {
        var model = new ProtoWriter()
            .Varint(1, IrVersion)                                      // ModelProto.ir_version
            .String(2, "serval-tests")                                 // ModelProto.producer_name
            .Message(8, opset => opset.String(1, "").Varint(2, Opset)) // ModelProto.opset_import {domain, version}
            .Message(7, graph =>                                       // ModelProto.graph
            {
                foreach (OnnxNode node in nodes)
                {
                    graph.Message(1, n => WriteNode(n, node));         // GraphProto.node
                }

                graph.String(2, graphName);                            // GraphProto.name
                foreach (OnnxValue input in inputs)
                {
                    graph.Message(11, v => WriteValueInfo(v, input));  // GraphProto.input
                }

                foreach (OnnxValue output in outputs)
                {
                    graph.Message(12, v => WriteValueInfo(v, output)); // GraphProto.output
                }
            });
        return model.ToArray();
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="directory"/>/<paramref name="fileName"/> and returns the path.</summary>
    public static string Save(byte[] model, string directory, string fileName)
    {
        string path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, model);
        return path;
    }

    private static void WriteNode(ProtoWriter w, OnnxNode node)
    {
        foreach (string input in node.Inputs)
        {
            w.String(1, input);                                        // NodeProto.input
        }

        foreach (string output in node.Outputs)
        {
            w.String(2, output);                                       // NodeProto.output
        }

        w.String(3, $"{node.OpType}_{node.Outputs[0]}");               // NodeProto.name
        w.String(4, node.OpType);                                      // NodeProto.op_type
        foreach ((string name, long value) in node.IntAttributes ?? new Dictionary<string, long>())
        {
            // AttributeProto {name = 1, i = 3, type = 20 (INT = 2)}
            w.Message(5, a => a.String(1, name).Varint(3, value).Varint(20, 2));
        }
    }

    private static void WriteValueInfo(ProtoWriter w, OnnxValue value)
    {
        w.String(1, value.Name);                                       // ValueInfoProto.name
        if (value.Sequence)
        {
            // TypeProto.sequence_type (4) → TypeProto.Sequence.elem_type (1) → a tensor TypeProto.
            w.Message(2, type => type.Message(4, seq => seq.Message(1, elem => WriteTensorType(elem, value))));
        }
        else
        {
            w.Message(2, type => WriteTensorType(type, value));       // ValueInfoProto.type
        }
    }

    private static void WriteTensorType(ProtoWriter typeProto, OnnxValue value) =>
        typeProto.Message(1, tensor =>                                 // TypeProto.tensor_type
        {
            tensor.Varint(1, (int)value.Type);                         // TypeProto.Tensor.elem_type
            if (value.Shape is not { } shape)
            {
                return;                                                // no shape: rank unknown
            }

            tensor.Message(2, s =>                                     // TypeProto.Tensor.shape (empty = scalar)
            {
                foreach (OnnxDim dim in shape)
                {
                    s.Message(1, d =>                                  // TensorShapeProto.dim
                    {
                        if (dim.Param is { } param)
                        {
                            d.String(2, param);                        // Dimension.dim_param
                        }
                        else if (dim.Value >= 0)
                        {
                            d.Varint(1, dim.Value);                    // Dimension.dim_value
                        }
                    });
                }
            });
        });
}
