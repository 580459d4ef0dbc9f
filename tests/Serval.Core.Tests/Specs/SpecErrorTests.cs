using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

public class SpecErrorTests
{
    [Fact]
    public void ToString_WithFieldAndHint_ReadsLikeACompilerError()
    {
        var error = new SpecError("serval.yaml", 3, 1, "instances.max", "must be at least 1, got 0", "raise it");

        Assert.Equal("serval.yaml:3:1: instances.max: must be at least 1, got 0 (hint: raise it)", error.ToString());
    }

    [Fact]
    public void ToString_WithoutFieldOrHint_LeavesThemOut()
    {
        var error = new SpecError("serval.yaml", 1, 1, "", "the file is empty", null);

        Assert.Equal("serval.yaml:1:1: the file is empty", error.ToString());
    }

    [Fact]
    public void Parse_UnknownKey_ErrorReadsWithPositionFieldAndHint()
    {
        var error = Assert.Single(SpecParser.Parse("name: fn\nruntime: onnx\nmodel: m.onnx\ninstances:\n  maxx: 3\n").Errors);

        Assert.Equal("serval.yaml:5:3: instances.maxx: unknown key (hint: did you mean 'max'?)", error.ToString());
    }
}
