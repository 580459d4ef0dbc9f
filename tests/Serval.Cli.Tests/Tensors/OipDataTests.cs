using System.Text.Json.Nodes;
using Serval.Cli.Tensors;

namespace Serval.Cli.Tests.Tensors;

public class OipDataTests
{
    [Theory]
    [InlineData("FP32", "[1.5,-2,0.25]")]
    [InlineData("FP64", "[1.5,-2,1E+300]")]
    [InlineData("FP16", "[1.5,-2,0.25]")]
    [InlineData("BF16", "[1.5,-2,0.25]")]
    [InlineData("INT8", "[-128,0,127]")]
    [InlineData("UINT8", "[0,1,255]")]
    [InlineData("INT16", "[-32768,0,32767]")]
    [InlineData("UINT16", "[0,1,65535]")]
    [InlineData("INT32", "[-2147483648,0,2147483647]")]
    [InlineData("UINT32", "[0,1,4294967295]")]
    [InlineData("INT64", "[-9223372036854775808,0,9223372036854775807]")]
    [InlineData("UINT64", "[0,1,18446744073709551615]")]
    [InlineData("BOOL", "[true,false,true]")]
    [InlineData("BYTES", """["a","","xyz"]""")]
    public void FromJson_ThenToJson_RoundTrips(string datatype, string data)
    {
        byte[] raw = OipData.FromJson(datatype, JsonNode.Parse(data), 3);

        var json = OipData.ToJson(new OipTensor("t", datatype, [3], raw));

        Assert.Equal(data, json.ToJsonString());
    }

    [Fact]
    public void FromJson_NestedArrays_FlattensRowMajor()
    {
        byte[] raw = OipData.FromJson("INT32", JsonNode.Parse("[[1,2,3],[4,5,6]]"), 6);

        Assert.Equal([1.0, 2, 3, 4, 5, 6], OipData.ToDoubles(new OipTensor("t", "INT32", [2, 3], raw))!);
    }

    [Fact]
    public void FromJson_WrongCount_SaysBoth()
    {
        var e = Assert.Throws<FormatException>(() => OipData.FromJson("FP32", JsonNode.Parse("[1,2]"), 3));

        Assert.Equal("the data has 2 elements, the shape needs 3", e.Message);
    }

    [Theory]
    [InlineData("INT32", "[1.5]")]
    [InlineData("UINT8", "[300]")]
    [InlineData("FP32", "[\"x\"]")]
    [InlineData("BOOL", "[1]")]
    public void FromJson_ValueOutsideDatatype_Throws(string datatype, string data)
    {
        Assert.Throws<FormatException>(() => OipData.FromJson(datatype, JsonNode.Parse(data), 1));
    }

    [Fact]
    public void FromJson_ValuesBuiltInCode_Convert()
    {
        byte[] raw = OipData.FromJson("FP64", new JsonArray(1.5f, 2), 2);

        Assert.Equal([1.5, 2.0], OipData.ToDoubles(new OipTensor("t", "FP64", [2], raw))!);
    }

    [Fact]
    public void SplitBytes_LengthPastEnd_Throws()
    {
        Assert.Throws<FormatException>(() => OipData.SplitBytes(new byte[] { 5, 0, 0, 0, 1 }));
    }
}
