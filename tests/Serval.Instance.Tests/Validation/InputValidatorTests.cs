using Serval.Core.Wire;
using Serval.Instance.Validation;
using Serval.Core.Tensors;

namespace Serval.Instance.Tests.Validation;

public sealed class InputValidatorTests
{
    private static readonly TensorMetadata[] Rec = [new("x", TensorElementType.Float, [-1, 3, 48, -1], ["N", "", "", "W"])];

    private static readonly TensorMetadata[] TwoInputs =
    [
        new("input_ids", TensorElementType.Int64, [-1, -1], ["batch", "sequence"]),
        new("attention_mask", TensorElementType.Int64, [-1, -1], ["batch", "sequence"]),
    ];

    private static NamedTensor Floats(string name, params long[] shape) =>
        new(name, Tensor.FromBytes(TensorElementType.Float, shape, new byte[Tensor.ElementCountOf(shape) * 4]));

    private static NamedTensor Longs(string name, params long[] shape) =>
        new(name, Tensor.FromBytes(TensorElementType.Int64, shape, new byte[Tensor.ElementCountOf(shape) * 8]));

    public static TheoryData<NamedTensor[], string?> RecCases => new()
    {
        { [Floats("x", 1, 3, 48, 320)], null },
        { [Floats("x", 8, 3, 48, 1)], null },
        { [Floats("x", 0, 3, 48, 320)], null },
        { [Floats("image", 1, 3, 48, 320)], "unknown input 'image'; the model's inputs are 'x'" },
        { [], "missing input 'x' (FP32 [-1,3,48,-1]); the model's inputs are 'x'" },
        { [Longs("x", 1, 3, 48, 320)], "input 'x': expected FP32, got INT64" },
        { [Floats("x", 1, 3, 47, 320)], "input 'x': expected shape [-1,3,48,-1], got [1,3,47,320]" },
        { [Floats("x", 3, 48, 320)], "input 'x': expected shape [-1,3,48,-1], got [3,48,320]" },
        { [Floats("x", 1, 3, 48, 320, 1)], "input 'x': expected shape [-1,3,48,-1], got [1,3,48,320,1]" },
        { [Floats("x", 1, 3, 48, 32), Floats("x", 1, 3, 48, 32)], "input 'x' is given more than once" },
    };

    [Theory]
    [MemberData(nameof(RecCases))]
    public void Validate_RecModel_FirstProblemOrNull(NamedTensor[] inputs, string? expected)
    {
        InvokeError? error = InputValidator.Validate(Rec, inputs);

        Assert.Equal(expected, error?.Message);
        Assert.True(error is null || error.Kind == ErrorKind.BadInput);
    }

    [Fact]
    public void Validate_TwoInputsOneMissing_NamesTheMissingOne()
    {
        InvokeError? error = InputValidator.Validate(TwoInputs, [Longs("input_ids", 1, 7)]);

        Assert.Equal("missing input 'attention_mask' (INT64 [-1,-1]); the model's inputs are 'input_ids', 'attention_mask'", error?.Message);
    }

    [Fact]
    public void Validate_TwoInputsInAnyOrder_Accepted()
    {
        Assert.Null(InputValidator.Validate(TwoInputs, [Longs("attention_mask", 2, 5), Longs("input_ids", 2, 5)]));
    }

    [Fact]
    public void Validate_UnknownNameBeforeOtherProblems_ReportsUnknownFirst()
    {
        InvokeError? error = InputValidator.Validate(TwoInputs, [Floats("tokens", 1), Longs("input_ids", 1, 7)]);

        Assert.Equal("unknown input 'tokens'; the model's inputs are 'input_ids', 'attention_mask'", error?.Message);
    }

    [Fact]
    public void Validate_StringTensorForFloatInput_NamesBytes()
    {
        var input = new NamedTensor("x", Tensor.FromStrings(["a"], [1, 1, 1, 1]));

        Assert.Equal("input 'x': expected FP32, got BYTES", InputValidator.Validate(Rec, [input])?.Message);
    }

    [Fact]
    public void ShapeText_Dims_CommaSeparatedInBrackets()
    {
        Assert.Equal("[-1,3,48,-1]", InputValidator.ShapeText([-1, 3, 48, -1]));
        Assert.Equal("[]", InputValidator.ShapeText([]));
    }
}
