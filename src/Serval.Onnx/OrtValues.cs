using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Serval.Core.Tensors;

namespace Serval.Onnx;

/// <summary>Serval's tensors as ORT values, over their own memory (no copy) for numeric ones.</summary>
internal static unsafe class OrtValues
{
    // ORT needs a valid pointer even for a tensor with no elements.
    private static readonly byte[] Empty = GC.AllocateArray<byte>(1, pinned: true);

    /// <summary>
    /// A value over <paramref name="tensor"/>'s bytes, pinned until <paramref name="pin"/> is disposed,
    /// which the caller does after the value (ORT does not copy).
    /// </summary>
    public static OrtValue Create(Tensor tensor, out MemoryHandle pin)
    {
        if (tensor.ElementType == TensorElementType.String)
        {
            pin = default;
            string[] strings = tensor.Strings!;
            OrtValue value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
            try
            {
                for (int i = 0; i < strings.Length; i++)
                {
                    value.StringTensorSetElementAt(strings[i].AsSpan(), i);
                }
            }
            catch
            {
                value.Dispose();
                throw;
            }

            return value;
        }

        if (tensor.Data.IsEmpty)
        {
            pin = default;
            return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, (Microsoft.ML.OnnxRuntime.Tensors.TensorElementType)tensor.ElementType,
                tensor.Shape, (IntPtr)Unsafe(Empty), 0);
        }

        pin = tensor.Data.Pin();
        try
        {
            return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, (Microsoft.ML.OnnxRuntime.Tensors.TensorElementType)tensor.ElementType,
                tensor.Shape, (IntPtr)pin.Pointer, tensor.Data.Length);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    private static byte* Unsafe(byte[] pinned) => (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
}
