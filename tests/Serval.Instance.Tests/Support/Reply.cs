using Serval.Core.Wire;
using Serval.Core.Tensors;

namespace Serval.Instance.Tests.Support;

/// <summary>A frame the instance answered with.</summary>
internal sealed record Reply(FrameKind Kind, ulong Id, byte[] Body)
{
    public NamedTensor[] Tensors()
    {
        Assert.True(Kind == FrameKind.Result, $"expected a result, got {Describe()}");
        return Assert.IsType<NamedTensor[]>(WireCodec.DecodeResult(Body));
    }

    public RawResponse Raw()
    {
        Assert.True(Kind == FrameKind.Result, $"expected a result, got {Describe()}");
        return Assert.IsType<RawResponse>(WireCodec.DecodeResult(Body));
    }

    public InvokeError Error()
    {
        Assert.True(Kind == FrameKind.Error, $"expected an error, got a {Kind} frame");
        return WireCodec.DecodeError(Body);
    }

    private string Describe() => Kind == FrameKind.Error ? $"error {WireCodec.DecodeError(Body)}" : $"a {Kind} frame";
}
