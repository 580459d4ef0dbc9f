using Serval.Core.Tensors;

namespace Serval.TestSupport.Onnx;

/// <summary>
/// A graph input or output (<c>ValueInfoProto</c>) holding a tensor.
/// </summary>
/// <param name="Name">The value's name.</param>
/// <param name="Type">The element type.</param>
/// <param name="Shape">The declared dimensions; null declares no shape at all (unknown rank), empty a scalar.</param>
/// <param name="Sequence">True to declare a sequence of such tensors instead of one tensor.</param>
public sealed record OnnxValue(string Name, TensorElementType Type, OnnxDim[]? Shape, bool Sequence = false);

/// <summary>A graph node (<c>NodeProto</c>) with optional integer attributes.</summary>
/// <param name="OpType">The operator, e.g. "Identity".</param>
/// <param name="Inputs">Names of the values it reads.</param>
/// <param name="Outputs">Names of the values it writes.</param>
/// <param name="IntAttributes">Integer attributes by name, or null.</param>
public sealed record OnnxNode(string OpType, string[] Inputs, string[] Outputs, IReadOnlyDictionary<string, long>? IntAttributes = null);
