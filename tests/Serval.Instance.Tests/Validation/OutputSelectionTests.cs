using Serval.Core.Wire;
using Serval.Instance.Validation;
using Serval.Core.Tensors;

namespace Serval.Instance.Tests.Validation;

public sealed class OutputSelectionTests
{
    private static readonly TensorMetadata[] Outputs =
    [
        new("boxes", TensorElementType.Float, [-1, 4], ["", ""]),
        new("scores", TensorElementType.Float, [-1], [""]),
    ];

    private static readonly int[] All = OutputSelection.All(2);

    [Fact]
    public void Resolve_NoneRequested_AllInModelOrder()
    {
        Assert.Null(OutputSelection.Resolve(Outputs, [], All, out int[] selected));
        Assert.Same(All, selected);
        Assert.Equal([0, 1], selected);
    }

    [Fact]
    public void Resolve_Requested_IndicesInRequestOrder()
    {
        Assert.Null(OutputSelection.Resolve(Outputs, ["scores", "boxes"], All, out int[] selected));
        Assert.Equal([1, 0], selected);
    }

    [Fact]
    public void Resolve_UnknownName_BadInputListingOutputs()
    {
        InvokeError? error = OutputSelection.Resolve(Outputs, ["scores", "labels"], All, out int[] selected);

        Assert.Equal(new InvokeError(ErrorKind.BadInput, "unknown output 'labels'; the model's outputs are 'boxes', 'scores'"), error);
        Assert.Empty(selected);
    }
}
