using Serval.Cli.Tensors;

namespace Serval.Cli.Tests.Tensors;

public class TensorArgumentsTests
{
    [Theory]
    [InlineData("x=@img.bin", "x", "img.bin")]
    [InlineData("input_ids=@/tmp/a=b.bin", "input_ids", "/tmp/a=b.bin")]
    public void ParseInput_NameAtFile_SplitsAtFirstEqualsAt(string argument, string name, string path)
    {
        Assert.Equal(new InputFile(name, path), TensorArguments.ParseInput(argument));
    }

    [Theory]
    [InlineData("img.bin")]
    [InlineData("x=img.bin")]
    [InlineData("=@img.bin")]
    [InlineData("x=@")]
    public void ParseInput_NotNameAtFile_FailsWithTheForm(string argument)
    {
        var e = Assert.Throws<CliException>(() => TensorArguments.ParseInput(argument));

        Assert.Contains("INPUT=@FILE", e.Message);
    }

    [Fact]
    public void ParseShapes_NamedAndUnnamed_KeysByInput()
    {
        var shapes = TensorArguments.ParseShapes(["x=1,3,48,320", "mask=2", "4, 5"]);

        Assert.Equal([1L, 3, 48, 320], shapes["x"]);
        Assert.Equal([2L], shapes["mask"]);
        Assert.Equal([4L, 5], shapes[""]);
    }

    [Theory]
    [InlineData("x=1,-3")]
    [InlineData("x=1,,3")]
    [InlineData("x=a")]
    public void ParseShapes_BadDimension_Fails(string value)
    {
        var e = Assert.Throws<CliException>(() => TensorArguments.ParseShapes([value]));

        Assert.StartsWith($"--shape {value}:", e.Message);
    }

    [Fact]
    public void ParseDatatypes_LowerCase_Normalised()
    {
        Assert.Equal("FP16", TensorArguments.ParseDatatypes(["x=fp16"])["x"]);
    }

    [Fact]
    public void ParseDatatypes_Unknown_ListsTheKnownOnes()
    {
        var e = Assert.Throws<CliException>(() => TensorArguments.ParseDatatypes(["x=FLOAT"]));

        Assert.Contains("FP32", e.Message);
    }

    [Fact]
    public void Lookup_UnnamedValueWithOneInput_Applies()
    {
        var shapes = TensorArguments.ParseShapes(["1,2"]);

        Assert.Equal([1L, 2], TensorArguments.Lookup(shapes, "x", inputCount: 1)!);
        Assert.Null(TensorArguments.Lookup(shapes, "x", inputCount: 2));
    }

    [Fact]
    public void ResolveShape_GivenShapeMatchingFile_IsUsed()
    {
        Assert.Equal([1L, 3, 48, 320], TensorArguments.ResolveShape("x", [1, 3, 48, 320], null, 1 * 3 * 48 * 320 * 4, 4));
    }

    [Fact]
    public void ResolveShape_GivenShapeNotMatchingFile_SaysBothSizes()
    {
        var e = Assert.Throws<CliException>(() => TensorArguments.ResolveShape("x", [1, 3], null, 10, 4));

        Assert.Equal("x: shape [1,3] needs 12 bytes at 4 per element, the file has 10", e.Message);
    }

    [Theory]
    [InlineData(221184, new long[] { 2, 3, 48, 192 })] // 221184 / (3·48·192·4) = 2
    [InlineData(110592, new long[] { 1, 3, 48, 192 })]
    public void ResolveShape_ModelWithOneDynamicDim_WorksItOutFromFileSize(long fileBytes, long[] expected)
    {
        Assert.Equal(expected, TensorArguments.ResolveShape("x", null, [-1, 3, 48, 192], fileBytes, 4));
    }

    [Fact]
    public void ResolveShape_ModelWithTwoDynamicDims_AsksForShape()
    {
        var e = Assert.Throws<CliException>(() => TensorArguments.ResolveShape("x", null, [-1, 3, 48, -1], 1000, 4));

        Assert.Contains("--shape x=", e.Message);
    }

    [Fact]
    public void ResolveShape_FileNotAMultipleOfTheFixedDims_Fails()
    {
        var e = Assert.Throws<CliException>(() => TensorArguments.ResolveShape("x", null, [-1, 3], 16, 4));

        Assert.Contains("does not fit the model's shape [-1,3]", e.Message);
    }

    [Fact]
    public void ResolveShape_NoShapeAnywhere_AsksForShape()
    {
        var e = Assert.Throws<CliException>(() => TensorArguments.ResolveShape("x", null, null, 16, 4));

        Assert.Equal("x: give its shape with --shape x=D1,D2,...", e.Message);
    }
}
