using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serval.Core.Oip;
using Serval.Core.Tensors;

namespace Serval.Core.Tests.Oip;

/// <summary>The one Open Inference Protocol codec, as the server and the CLI both use it.</summary>
public class OipCodecTests
{
    private static NamedTensor Floats(string name, long[] shape, params float[] values) => new(name, Tensor.From<float>(values, shape));

    private static OipMessage Read(string json) => OipReader.Read(Encoding.UTF8.GetBytes(json), null);

    [Fact]
    public void EncodeRequest_OneBinaryInput_HeaderLengthIsTheJsonAndDataFollows()
    {
        NamedTensor x = Floats("x", [1, 2], 1.5f, -2f);

        var (body, headerLength) = OipWriter.Encode(new OipFields(BinaryDataOutput: true), "inputs", [x], _ => true);

        JsonNode json = JsonNode.Parse(Encoding.UTF8.GetString(body, 0, headerLength))!;
        Assert.Equal("x", (string?)json["inputs"]![0]!["name"]);
        Assert.Equal("FP32", (string?)json["inputs"]![0]!["datatype"]);
        Assert.Equal("[1,2]", json["inputs"]![0]!["shape"]!.ToJsonString());
        Assert.Equal(8, (int)json["inputs"]![0]!["parameters"]!["binary_data_size"]!);
        Assert.True((bool)json["parameters"]!["binary_data_output"]!);
        Assert.Equal(x.Tensor.Data.ToArray(), body[headerLength..]);
    }

    [Fact]
    public void EncodeThenRead_ThreeInputsOfThreeTypes_RoundTripInOrder()
    {
        NamedTensor x = Floats("x", [2, 2], 1, 2, 3, 4);
        var ids = new NamedTensor("ids", Tensor.From<long>([7, -1, long.MaxValue], [3]));
        var flag = new NamedTensor("flag", Tensor.FromBytes(TensorElementType.Bool, [1], new byte[] { 1 }));

        var (body, headerLength) = OipWriter.Encode(new OipFields(Id: "req-1"), "inputs", [x, ids, flag], _ => true);
        OipMessage decoded = OipReader.Read(body, headerLength);

        Assert.Equal(["x", "ids", "flag"], decoded.Inputs.Select(t => t.Name));
        Assert.Equal([2L, 2], decoded.Inputs[0].Tensor.Shape);
        Assert.Equal(x.Tensor.Data.ToArray(), decoded.Inputs[0].Tensor.Data.ToArray());
        Assert.Equal(TensorElementType.Int64, decoded.Inputs[1].Tensor.ElementType);
        Assert.Equal(ids.Tensor.Data.ToArray(), decoded.Inputs[1].Tensor.Data.ToArray());
        Assert.Equal(flag.Tensor.Data.ToArray(), decoded.Inputs[2].Tensor.Data.ToArray());
        Assert.Equal("req-1", decoded.Id);
        Assert.Empty(decoded.Outputs);
    }

    [Fact]
    public void EncodeThenRead_ResponseWithBinaryStrings_KeepsModelAndText()
    {
        NamedTensor y = Floats("y", [1, 3], 0.1f, 0.2f, 0.7f);
        var text = new NamedTensor("text", Tensor.FromStrings(["hello", "мир"], [2]));

        var (body, headerLength) = OipWriter.Encode(new OipFields(ModelName: "ocr-cls", ModelVersion: "3"), "outputs", [y, text], _ => true);
        OipMessage decoded = OipReader.Read(body, headerLength);

        Assert.Equal("ocr-cls", decoded.ModelName);
        Assert.Equal("3", decoded.ModelVersion);
        Assert.Equal(y.Tensor.Data.ToArray(), decoded.Outputs[0].Tensor.Data.ToArray());
        Assert.Equal(["hello", "мир"], decoded.Outputs[1].Tensor.Strings!);
        Assert.Equal(4 + 5 + 4 + Encoding.UTF8.GetByteCount("мир"), OipBinary.SizeOf(text.Tensor));
    }

    [Fact]
    public void Read_JsonOnlyBody_NestedDataBecomesRawElements()
    {
        OipMessage decoded = Read("""{"model_name":"m","outputs":[{"name":"y","datatype":"FP32","shape":[2,2],"data":[[1,2],[3,4.5]]}]}""");

        Assert.Equal(new float[] { 1, 2, 3, 4.5f }, decoded.Outputs[0].Tensor.AsSpan<float>().ToArray());
    }

    [Fact]
    public void Read_MixedBinaryAndJsonInputs_TakesBinaryDataInHeaderOrder_AndRequestedOutputsApart()
    {
        NamedTensor a = Floats("a", [1], 5);
        NamedTensor b = Floats("b", [2], 6, 7);
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(
                new JsonObject { ["name"] = "a", ["datatype"] = "FP32", ["shape"] = new JsonArray(1), ["parameters"] = new JsonObject { ["binary_data_size"] = 4 } },
                new JsonObject { ["name"] = "j", ["datatype"] = "INT32", ["shape"] = new JsonArray(2), ["data"] = new JsonArray(1, 2) },
                new JsonObject { ["name"] = "b", ["datatype"] = "FP32", ["shape"] = new JsonArray(2), ["parameters"] = new JsonObject { ["binary_data_size"] = 8 } }),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "y", ["parameters"] = new JsonObject { ["binary_data"] = true } }, new JsonObject { ["name"] = "z" }),
        };
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] body = [.. json, .. a.Tensor.Data.ToArray(), .. b.Tensor.Data.ToArray()];

        OipMessage decoded = OipReader.Read(body, json.Length);

        Assert.Equal(["a", "j", "b"], decoded.Inputs.Select(t => t.Name));
        Assert.Equal(b.Tensor.Data.ToArray(), decoded.Inputs[2].Tensor.Data.ToArray());
        Assert.Equal(new byte[] { 1, 0, 0, 0, 2, 0, 0, 0 }, decoded.Inputs[1].Tensor.Data.ToArray());
        Assert.Empty(decoded.Outputs);
        Assert.Equal([new OipRequestedOutput("y", true), new OipRequestedOutput("z", false)], decoded.RequestedOutputs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000)]
    public void Read_HeaderLengthOutOfRange_NamesTheHeader(int headerLength)
    {
        var (body, _) = OipWriter.Encode(new OipFields(), "inputs", [Floats("x", [1], 1)], _ => true);

        var e = Assert.Throws<OipException>(() => OipReader.Read(body, headerLength));

        Assert.Contains(OipBinary.HeaderLengthName, e.Message);
    }

    [Fact]
    public void Read_BinarySizeDisagreesWithShape_NamesTheInput()
    {
        var (body, headerLength) = OipWriter.Encode(new OipFields(), "inputs", [Floats("x", [1], 1)], _ => true);
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body, 0, headerLength).Replace("[1]", "[2]"));

        var e = Assert.Throws<OipException>(() => OipReader.Read((byte[])[.. tampered, .. body[headerLength..]], tampered.Length));

        Assert.Equal("input 'x': shape [2] of FP32 needs 8 bytes, got 4", e.Message);
    }

    [Fact]
    public void Read_BytesAfterTheLastTensor_SaysHowMany()
    {
        var (body, headerLength) = OipWriter.Encode(new OipFields(), "inputs", [Floats("x", [1], 1)], _ => true);

        var e = Assert.Throws<OipException>(() => OipReader.Read((byte[])[.. body, 0, 0], headerLength));

        Assert.Equal("the binary data holds 6 bytes but the tensors' binary_data_size add up to 4", e.Message);
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1]}]}""", "input 'x': shape [2] holds 2 elements, data has 1")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]},{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]}""", "input 'x' is given twice")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP99","shape":[1],"data":[1]}]}""", "input 'x': unknown datatype 'FP99'")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[-1],"data":[1]}]}""", "input 'x': shape must hold non-negative integers, got [-1]")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1]}]}""", "input 'x' has neither \"data\" nor parameters.binary_data_size")]
    [InlineData("""{"inputs":[{"datatype":"FP32","shape":[1],"data":[1]}]}""", "every entry of \"inputs\" needs a \"name\"")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"data":[1]}]}""", "input 'x' needs a \"datatype\"")]
    [InlineData("""{"inputs":{}}""", "\"inputs\" must be an array")]
    [InlineData("""[1]""", "the message must be a JSON object with \"inputs\" or \"outputs\"")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"parameters":{"binary_data_size":"4"}}]}""", "input 'x': binary_data_size \"4\" is more than the 0 binary bytes left")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"INT32","shape":[1],"data":[1.5]}]}""", "input 'x': 1.5 is not a INT32 value")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"UINT8","shape":[1],"data":[300]}]}""", "input 'x': 300 is not a UINT8 value")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"BOOL","shape":[1],"data":[1]}]}""", "input 'x': 1 is not a BOOL value")]
    [InlineData("""{"outputs":[{"name":"y","datatype":"FP32","shape":[1],"data":["x"]}]}""", "output 'y': \"x\" is not a FP32 value")]
    public void Read_BadMessage_SaysWhatAndWhere(string json, string message)
    {
        var e = Assert.Throws<OipException>(() => Read(json));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Read_MalformedJson_SaysSo()
    {
        var e = Assert.Throws<OipException>(() => Read("{\"inputs\":"));

        Assert.StartsWith("malformed JSON", e.Message);
    }

    [Fact]
    public void Read_BinaryStringsCutShort_SaysWhere()
    {
        byte[] json = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"s","datatype":"BYTES","shape":[1],"parameters":{"binary_data_size":5}}]}""");

        var e = Assert.Throws<OipException>(() => OipReader.Read((byte[])[.. json, 5, 0, 0, 0, 1], json.Length));

        Assert.Equal("input 's': binary BYTES element 0 claims 5 bytes, 1 left", e.Message);
    }

    [Fact]
    public void Read_CheckSeesEachHeaderBeforeItsData_AndCanRefuse()
    {
        var seen = new List<string>();

        var e = Assert.Throws<OipException>(() => OipReader.Read(
            Encoding.UTF8.GetBytes("""{"inputs":[{"name":"a","datatype":"FP32","shape":[1],"data":[1]},{"name":"b","datatype":"INT8","shape":[2],"data":"not even an array"}]}"""),
            null,
            header =>
            {
                seen.Add($"{header.Where} {header.Datatype} {OipShapes.Text(header.Shape)}");
                if (header.Name == "b")
                {
                    throw new OipException($"{header.Where}: refused");
                }
            }));

        Assert.Equal("input 'b': refused", e.Message);
        Assert.Equal(["input 'a' FP32 [1]", "input 'b' INT8 [2]"], seen);
    }

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
    [InlineData("FP32", """["NaN","Infinity","-Infinity"]""")]
    public void JsonData_ReadThenWrite_RoundTripsEveryDatatype(string datatype, string data)
    {
        OipMessage decoded = Read($$"""{"outputs":[{"name":"t","datatype":"{{datatype}}","shape":[3],"data":{{data}}}]}""");

        var (json, binary) = OipWriter.Write(new OipFields(), "outputs", decoded.Outputs, _ => false);

        Assert.Empty(binary);
        Assert.Equal(data, JsonNode.Parse(json)!["outputs"]![0]!["data"]!.ToJsonString());
    }

    [Fact]
    public void JsonData_Floats_WrittenShortestRoundTrip_AndParseBackBitIdentical()
    {
        float[] values = [0.1f, 1f / 3, float.Epsilon, -123456.79f];
        var (json, _) = OipWriter.Write(new OipFields(ModelName: "m"), "outputs", [Floats("y", [4], values)], _ => false);

        Assert.Equal("""{"model_name":"m","outputs":[{"name":"y","datatype":"FP32","shape":[4],"data":[0.1,0.33333334,1E-45,-123456.79]}]}""", Encoding.UTF8.GetString(json));
        Assert.Equal(values, OipReader.Read(json, null).Outputs[0].Tensor.AsSpan<float>().ToArray());
    }

    [Fact]
    public void BinaryStrings_WriteThenRead_RoundTrip()
    {
        Tensor strings = Tensor.FromStrings(["", "a", "ünï"], [3]);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        OipBinary.Write(buffer, strings);

        Assert.Equal(OipBinary.SizeOf(strings), buffer.WrittenCount);
        Assert.Equal(["", "a", "ünï"], OipBinary.Read("output 's'", TensorElementType.String, [3], buffer.WrittenMemory).Strings!);
    }

    [Theory]
    [InlineData(new long[] { -1, 3, -1, -1 }, new long[] { 1, 3, 48, 320 }, true)]
    [InlineData(new long[] { -1, 3, -1, -1 }, new long[] { 1, 1, 48, 320 }, false)]
    [InlineData(new long[] { -1, 3 }, new long[] { 1, 3, 1 }, false)]
    public void Shapes_FreeDimensionsAcceptAnySize_FixedOnesTheirOwn(long[] expected, long[] shape, bool accepted)
    {
        Assert.Equal(accepted, OipShapes.Accepts(expected, shape));
    }
}
