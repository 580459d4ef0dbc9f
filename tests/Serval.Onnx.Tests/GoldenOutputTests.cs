using System.Security.Cryptography;
using Serval.Core.Tensors;
using Serval.TestSupport;
using Serval.TestSupport.Onnx;

namespace Serval.Onnx.Tests;

/// <summary>
/// The outputs of every model and element type, compared with those the binding gave before
/// (recorded in <c>Fixtures/golden-outputs.txt</c> by Serval's own C-API binding over the same ONNX
/// Runtime 1.30.0, one intra-op thread): the move to the official package changes no bit.
/// <c>SERVAL_WRITE_GOLDEN=1</c> writes the file anew instead of comparing.
/// </summary>
public sealed class GoldenOutputTests(ModelDirectory models) : IClassFixture<ModelDirectory>
{
    private static readonly string GoldenFile = Path.Combine(Paths.Root, "tests/Serval.Onnx.Tests/Fixtures/golden-outputs.txt");

    [Fact]
    public void Run_EveryModelAndType_OutputsMatchThePreviousBindingBitForBit()
    {
        var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (TensorElementType type in NumericTypes)
        {
            using var identity = models.Open(OnnxModels.Identity(type, "N", 3));
            Record(actual, $"identity-{type.ToOipName()}", identity, [new NamedTensor("x", Pseudo(type, [4, 3], seed: (int)type))]);
        }

        foreach (TensorElementType type in new[] { TensorElementType.Float, TensorElementType.Double, TensorElementType.Int32, TensorElementType.Int64 })
        {
            // The element types ORT's CPU Add has kernels for.
            using var add = models.Open(OnnxModels.Add(type, "N"));
            Record(actual, $"add-{type.ToOipName()}", add, [new NamedTensor("a", Pseudo(type, [7], seed: 1)), new NamedTensor("b", Pseudo(type, [7], seed: 2))]);
        }

        using var strings = models.Open(OnnxModels.Identity(TensorElementType.String, "N"));
        Record(actual, "identity-BYTES", strings, [new NamedTensor("x", Tensor.FromStrings(["", "a", "识别文字", "🦊"], [4]))]);
        using var chain = models.Open(OnnxModels.MatMulChain(32, 3));
        Record(actual, "matmul-chain-32x3", chain, [new NamedTensor("x", Pseudo(TensorElementType.Float, [32, 32], seed: 3))]);

        foreach (var (name, path, shape) in new[]
        {
            ("det-1x3x320x320", Paths.DetModel, new long[] { 1, 3, 320, 320 }),
            ("rec-1x3x48x320", Paths.RecModel, new long[] { 1, 3, 48, 320 }),
            ("rec-2x3x48x160", Paths.RecModel, new long[] { 2, 3, 48, 160 }),
            ("cls-1x3x48x192", Paths.ClsModel, new long[] { 1, 3, 48, 192 }),
        })
        {
            using var session = new InferenceSession(path, new SessionOptions { IntraOpThreads = 1 });
            Record(actual, name, session, [new NamedTensor("x", Pseudo(TensorElementType.Float, shape, seed: name.Length))]);
        }

        string text = string.Concat(actual.Select(kv => $"{kv.Key} {kv.Value}\n"));
        if (Environment.GetEnvironmentVariable("SERVAL_WRITE_GOLDEN") == "1")
        {
            File.WriteAllText(GoldenFile, text);
            return;
        }

        string[] expected = File.ReadAllLines(GoldenFile);
        Assert.Equal(expected.Length, actual.Count);
        Assert.Equal(expected, text.TrimEnd('\n').Split('\n'));
    }

    private static readonly TensorElementType[] NumericTypes =
    [
        TensorElementType.Float, TensorElementType.Float16, TensorElementType.Double,
        TensorElementType.Int8, TensorElementType.Int16, TensorElementType.Int32, TensorElementType.Int64,
        TensorElementType.UInt8, TensorElementType.UInt16, TensorElementType.UInt32, TensorElementType.UInt64,
        TensorElementType.Bool, TensorElementType.BFloat16,
    ];

    private static void Record(SortedDictionary<string, string> into, string name, InferenceSession session, NamedTensor[] inputs)
    {
        foreach (NamedTensor output in session.Run(inputs))
        {
            Tensor t = output.Tensor;
            byte[] bytes = t.ElementType == TensorElementType.String
                ? System.Text.Encoding.UTF8.GetBytes(string.Join("\u0001", t.Strings!))
                : t.Data.ToArray();
            into[$"{name}/{output.Name}"] = $"{t.ElementType.ToOipName()} [{string.Join(",", t.Shape)}] {Convert.ToHexStringLower(SHA256.HashData(bytes))}";
        }
    }

    /// <summary>Elements from a fixed linear congruential sequence (the same on every runtime), in range for every type.</summary>
    private static Tensor Pseudo(TensorElementType type, long[] shape, int seed)
    {
        int count = (int)Tensor.ElementCountOf(shape);
        byte[] data = new byte[count * type.SizeOf()];
        uint state = (uint)seed * 2654435761u + 12345u;
        for (int i = 0; i < count; i++)
        {
            state = (state * 1664525u) + 1013904223u;
            double unit = (state >> 8) / (double)(1 << 24); // [0, 1)
            Span<byte> at = data.AsSpan(i * type.SizeOf());
            switch (type)
            {
                case TensorElementType.Float: BitConverter.TryWriteBytes(at, (float)(unit * 2 - 1)); break;
                case TensorElementType.Double: BitConverter.TryWriteBytes(at, unit * 2 - 1); break;
                case TensorElementType.Float16: BitConverter.TryWriteBytes(at, (Half)(unit * 2 - 1)); break;
                case TensorElementType.BFloat16: BitConverter.TryWriteBytes(at, (ushort)(BitConverter.SingleToUInt32Bits((float)(unit * 2 - 1)) >> 16)); break;
                case TensorElementType.Bool: at[0] = (byte)(state >> 31); break;
                default: WriteInteger(at, type.SizeOf(), state >> 4); break;
            }
        }

        return Tensor.FromBytes(type, shape, data);
    }

    private static void WriteInteger(Span<byte> at, int size, uint value)
    {
        // Small values: an Add of two stays in range for every integer type, signed or not.
        uint small = value % 50;
        for (int b = 0; b < size; b++)
        {
            at[b] = b == 0 ? (byte)small : (byte)0;
        }
    }
}
