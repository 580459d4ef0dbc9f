using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Serval.Cli.Tensors;

namespace Serval.Cli.Tests.Tensors;

public class OipBinaryTests
{
    private static OipTensor Floats(string name, long[] shape, params float[] values) =>
        new(name, "FP32", shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    [Fact]
    public void EncodeRequest_OneInput_HeaderLengthIsTheJsonAndDataFollows()
    {
        var x = Floats("x", [1, 2], 1.5f, -2f);

        var encoded = OipBinary.EncodeRequest([x]);

        string header = Encoding.UTF8.GetString(encoded.Body, 0, encoded.HeaderLength);
        var json = JsonNode.Parse(header)!;
        Assert.Equal("x", (string?)json["inputs"]![0]!["name"]);
        Assert.Equal("FP32", (string?)json["inputs"]![0]!["datatype"]);
        Assert.Equal("[1,2]", json["inputs"]![0]!["shape"]!.ToJsonString());
        Assert.Equal(8, (int)json["inputs"]![0]!["parameters"]!["binary_data_size"]!);
        Assert.True((bool)json["parameters"]!["binary_data_output"]!);
        Assert.Equal(encoded.HeaderLength + 8, encoded.Body.Length);
        Assert.Equal(x.Data.ToArray(), encoded.Body[encoded.HeaderLength..]);
    }

    [Fact]
    public void Decode_EncodedRequestWithTwoInputs_RoundTripsInOrder()
    {
        var x = Floats("x", [2, 2], 1, 2, 3, 4);
        var ids = new OipTensor("ids", "INT64", [3], MemoryMarshal.AsBytes(new long[] { 7, -1, long.MaxValue }.AsSpan()).ToArray());
        var flag = new OipTensor("flag", "BOOL", [1], new byte[] { 1 });

        var encoded = OipBinary.EncodeRequest([x, ids, flag], id: "req-1");
        var decoded = OipBinary.Decode(encoded.Body, encoded.HeaderLength);

        Assert.Equal(["x", "ids", "flag"], decoded.Inputs.Select(t => t.Name));
        Assert.Equal([2L, 2], decoded.Inputs[0].Shape);
        Assert.Equal(x.Data.ToArray(), decoded.Inputs[0].Data.ToArray());
        Assert.Equal("INT64", decoded.Inputs[1].Datatype);
        Assert.Equal(ids.Data.ToArray(), decoded.Inputs[1].Data.ToArray());
        Assert.Equal(flag.Data.ToArray(), decoded.Inputs[2].Data.ToArray());
        Assert.Equal("req-1", (string?)decoded.Header["id"]);
        Assert.Empty(decoded.Outputs);
    }

    [Fact]
    public void Decode_EncodedResponse_ReturnsOutputsWithModelName()
    {
        var y = Floats("y", [1, 3], 0.1f, 0.2f, 0.7f);
        var text = new OipTensor("text", "BYTES", [2], OipData.FromJson("BYTES", JsonNode.Parse("""["hello","мир"]"""), 2));

        var encoded = OipBinary.EncodeResponse("ocr-cls", "3", [y, text]);
        var decoded = OipBinary.Decode(encoded.Body, encoded.HeaderLength);

        Assert.Equal("ocr-cls", (string?)decoded.Header["model_name"]);
        Assert.Equal("3", (string?)decoded.Header["model_version"]);
        Assert.Equal(y.Data.ToArray(), decoded.Outputs[0].Data.ToArray());
        Assert.Equal("""["hello","мир"]""", OipData.ToJson(decoded.Outputs[1]).ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void Decode_JsonOnlyBody_ConvertsDataToRawElements()
    {
        byte[] body = Encoding.UTF8.GetBytes("""
            {"model_name":"m","outputs":[{"name":"y","datatype":"FP32","shape":[2,2],"data":[[1,2],[3,4.5]]}]}
            """);

        var decoded = OipBinary.Decode(body, headerLength: null);

        Assert.Equal(Floats("y", [2, 2], 1, 2, 3, 4.5f).Data.ToArray(), decoded.Outputs[0].Data.ToArray());
    }

    [Fact]
    public void Decode_MixedBinaryAndJsonInputs_TakesBinaryDataInHeaderOrder()
    {
        var a = Floats("a", [1], 5);
        var b = Floats("b", [2], 6, 7);
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(
                new JsonObject { ["name"] = "a", ["datatype"] = "FP32", ["shape"] = new JsonArray(1), ["parameters"] = new JsonObject { ["binary_data_size"] = 4 } },
                new JsonObject { ["name"] = "j", ["datatype"] = "INT32", ["shape"] = new JsonArray(2), ["data"] = new JsonArray(1, 2) },
                new JsonObject { ["name"] = "b", ["datatype"] = "FP32", ["shape"] = new JsonArray(2), ["parameters"] = new JsonObject { ["binary_data_size"] = 8 } }),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "y", ["parameters"] = new JsonObject { ["binary_data"] = true } }),
        };
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] body = [.. json, .. a.Data.ToArray(), .. b.Data.ToArray()];

        var decoded = OipBinary.Decode(body, json.Length);

        Assert.Equal(["a", "j", "b"], decoded.Inputs.Select(t => t.Name));
        Assert.Equal(b.Data.ToArray(), decoded.Inputs[2].Data.ToArray());
        Assert.Equal(new byte[] { 1, 0, 0, 0, 2, 0, 0, 0 }, decoded.Inputs[1].Data.ToArray());
        Assert.Empty(decoded.Outputs); // a request's "outputs" only names what it wants back
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000)]
    public void Decode_HeaderLengthOutOfRange_Throws(int headerLength)
    {
        var encoded = OipBinary.EncodeRequest([Floats("x", [1], 1)]);

        var e = Assert.Throws<FormatException>(() => OipBinary.Decode(encoded.Body, headerLength));

        Assert.Contains(OipBinary.HeaderLengthName, e.Message);
    }

    [Fact]
    public void Decode_BinarySizeDisagreesWithShape_NamesTheInput()
    {
        var encoded = OipBinary.EncodeRequest([Floats("x", [1], 1)]);
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(encoded.Body, 0, encoded.HeaderLength).Replace("[1]", "[2]"));
        byte[] body = [.. tampered, .. encoded.Body[encoded.HeaderLength..]];

        var e = Assert.Throws<FormatException>(() => OipBinary.Decode(body, tampered.Length));

        Assert.Contains("inputs 'x'", e.Message);
        Assert.Contains("needs 8 bytes, got 4", e.Message);
    }

    [Fact]
    public void Decode_BytesAfterLastTensor_Throws()
    {
        var encoded = OipBinary.EncodeRequest([Floats("x", [1], 1)]);
        byte[] body = [.. encoded.Body, 0, 0];

        var e = Assert.Throws<FormatException>(() => OipBinary.Decode(body, encoded.HeaderLength));

        Assert.Contains("2 bytes follow", e.Message);
    }

    [Fact]
    public void Encode_DataShorterThanShape_Throws()
    {
        var x = Floats("x", [1, 3], 1, 2);

        Assert.Throws<ArgumentException>(() => OipBinary.EncodeRequest([x]));
    }

    [Fact]
    public void ToJson_BinaryResponse_InlinesDataAndDropsBinarySize()
    {
        var encoded = OipBinary.EncodeResponse("m", null, [Floats("y", [3], 0.1f, 2, -3)]);
        var decoded = OipBinary.Decode(encoded.Body, encoded.HeaderLength);

        var json = OipBinary.ToJson(decoded);

        Assert.Equal("""{"model_name":"m","outputs":[{"name":"y","datatype":"FP32","shape":[3],"data":[0.1,2,-3]}]}""", json.ToJsonString());
        Assert.NotNull(decoded.Header["outputs"]![0]!["parameters"]); // the decoded header itself is untouched
    }
}
