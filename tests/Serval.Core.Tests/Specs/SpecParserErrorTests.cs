using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

/// <summary>One rule per row: the file, then the single error it must give (field, line, message and hint text).</summary>
public class SpecParserErrorTests
{
    /// <summary>A valid onnx spec on lines 1-3; each row's own line is line 4.</summary>
    private const string Onnx = "name: fn\nruntime: onnx\nmodel: m.onnx\n";

    /// <summary>A valid dotnet spec on lines 1-3.</summary>
    private const string Dotnet = "name: fn\nruntime: dotnet\nhandler: My.Handler\n";

    [Theory]
    // Unknown keys, with the nearest known key or where the key belongs.
    [InlineData(Onnx + "descripton: x", "descripton", 4, "unknown key", "did you mean 'description'?")]
    [InlineData(Onnx + "Timeout: 5s", "Timeout", 4, "unknown key", "did you mean 'timeout'?")]
    [InlineData(Onnx + "instances:\n  maxx: 3", "instances.maxx", 5, "unknown key", "did you mean 'max'?")]
    [InlineData(Onnx + "instances: { concurency: 3 }", "instances.concurency", 4, "unknown key", "did you mean 'concurrency'?")]
    [InlineData(Onnx + "resources: { cpus: 2 }", "resources.cpus", 4, "unknown key", "did you mean 'cpu'?")]
    [InlineData(Onnx + "environment: { A: b }", "environment", 4, "unknown key", "did you mean 'env'?")]
    [InlineData(Onnx + "memory: 2Gi", "memory", 4, "unknown key", "'memory' goes under 'resources', as in resources: { memory: ... }")]
    [InlineData(Onnx + "max: 3", "max", 4, "unknown key", "'max' goes under 'instances'")]
    [InlineData(Onnx + "instances: { timeout: 5s }", "instances.timeout", 4, "unknown key", "'timeout' is a top-level key, not part of 'instances'")]
    [InlineData(Onnx + "foo: 1", "foo", 4, "unknown key", "known keys: name, runtime, model, models, handler, entry, description, instances, resources, timeout, env, schedule, timezone, batching, plan, routes, async")]
    [InlineData(Onnx + "resources: { disk: 1Gi }", "resources.disk", 4, "unknown key", "known keys of 'resources': cpu, memory, gpu")]
    // Keys of later features.
    [InlineData(Dotnet + "batching: { max: 8, delay: 5ms }", "batching.max", 4, "a batch of 8 needs 8 invocations in one instance at once, but instances.concurrency is 4", "concurrency: 8")]
    [InlineData(Dotnet + "batching: { max: 0 }", "batching.max", 4, "must be at least 1, got 0", null)]
    [InlineData(Dotnet + "batching: { delay: 1h }", "batching.delay", 4, "must be at most 10s, got 1h", null)]
    [InlineData(Dotnet + "batching: { buckets: [64, 32] }", "batching.buckets", 4, "must be ascending, got 32 after 64", "[64, 128, 256, 512]")]
    [InlineData(Dotnet + "batching: { size: 4 }", "batching.size", 4, "unknown key", "known keys of 'batching': max, delay, buckets")]
    [InlineData(Onnx + "instances: { concurrency: 8 }\nbatching: { max: 8 }", "batching", 5, "batching is not supported yet for runtime onnx", "IBatchFunctionHandler")]
    // Plans and routes.
    [InlineData("name: p\nplan:\n  steps:\n    - { function: a, map: true }", "plan.steps[0].map", 4, "the first step has nothing to map over", null)]
    [InlineData("name: p\nplan:\n  steps:\n    - { function: a }\n    - { function: b, concurrency: 3 }", "plan.steps[1].concurrency", 5, "only a map step has a concurrency", "map: true")]
    [InlineData("name: p\nplan:\n  steps:\n    - { name: x }", "plan.steps[0].function", 4, "required: the function this step calls", null)]
    [InlineData("name: p\nplan:\n  steps:\n    - { function: a }\n    - { function: a }", "plan.steps[1].name", 5, "step 'a' is named twice (first as step 0)", null)]
    [InlineData("name: p\nplan:\n  steps:\n    - { function: a, runs: tpu }", "plan.steps[0].runs", 4, "must be 'cpu' or 'gpu', got 'tpu'", null)]
    [InlineData("name: p\nplan:\n  steps:\n    - { function: Bad_Name }", "plan.steps[0].function", 4, "must name a function", null)]
    [InlineData("name: p\nplan:\n  steps: []", "plan.steps", 3, "must be a list of steps, got a list", null)]
    [InlineData("name: p\nplan: { partial: true }", "plan.steps", 2, "required: the steps of the plan", null)]
    [InlineData("name: p\nplan: { steps: [ { function: a } ], partial: maybe }", "plan.partial", 2, "must be true or false, got 'maybe'", null)]
    [InlineData("name: p\nruntime: onnx\nplan: { steps: [ { function: a } ] }", "runtime", 2, "a plan has no 'runtime'", null)]
    [InlineData(Onnx + "routes: { tid: x }", "routes", 4, "must be a list of { tid, bid } entries, got a mapping", "- { tid: ocr, bid: acme }")]
    [InlineData(Onnx + "routes:\n  - { bid: acme }", "routes[0].tid", 5, "required: the task type this route serves", null)]
    [InlineData(Onnx + "routes:\n  - { tid: a b }", "routes[0].tid", 5, "a task type must be letters, digits", null)]
    [InlineData(Onnx + "routes:\n  - { tid: a }\n  - { tid: a }", "routes[1]", 6, "the route tid 'a' is given twice", null)]
    [InlineData(Onnx + "instances: { batching: 8 }", "instances.batching", 4, "unknown key", "'batching' is a top-level key, not part of 'instances'")]
    // Wrong types.
    [InlineData(Onnx + "instances: { max: [1, 2] }", "instances.max", 4, "must be a whole number, got a list", null)]
    [InlineData(Onnx + "instances: { min: abc }", "instances.min", 4, "must be a whole number, got 'abc'", null)]
    [InlineData(Onnx + "instances: { max: 2.5 }", "instances.max", 4, "must be a whole number, got '2.5'", null)]
    [InlineData(Onnx + "instances: { max: }", "instances.max", 4, "needs a value", null)]
    [InlineData(Onnx + "instances: 4", "instances", 4, "must be a mapping, got '4'", "instances: { min: 0, max: 4, concurrency: 4, idle: 60s }")]
    [InlineData(Onnx + "instances: [1]", "instances", 4, "must be a mapping, got a list", null)]
    [InlineData(Onnx + "resources: 2", "resources", 4, "must be a mapping, got '2'", "resources: { cpu: 1, memory: 2Gi, gpu: 0 }")]
    [InlineData(Onnx + "resources: { cpu: lots }", "resources.cpu", 4, "must be a number, got 'lots'", "cores per instance")]
    [InlineData(Onnx + "resources: { gpu: [1] }", "resources.gpu", 4, "must be a number, got a list", null)]
    [InlineData(Onnx + "resources: { memory: { a: 1 } }", "resources.memory", 4, "must be a memory size, got a mapping", null)]
    [InlineData(Onnx + "timeout: { s: 5 }", "timeout", 4, "must be a duration, got a mapping", null)]
    [InlineData(Onnx + "timeout: soon", "timeout", 4, "must be a duration, got 'soon'", "500ms, 60s, 5m, 1h or 1h30m")]
    [InlineData(Onnx + "description: { a: b }", "description", 4, "must be text, got a mapping", null)]
    [InlineData(Onnx + "env: [A=1]", "env", 4, "must be a mapping, got a list", "env: { NAME: value }")]
    [InlineData(Onnx + "env: { A: [1] }", "env.A", 4, "must be text, got a list", null)]
    [InlineData(Onnx + "env:\n  A:", "env.A", 5, "needs a value", "A: \"\"")]
    [InlineData(Onnx + "env: { 1A: x }", "env.1A", 4, "a variable's name must be letters, digits and '_'", null)]
    [InlineData("name: [a]\nruntime: onnx\nmodel: m.onnx", "name", 1, "must be text, got a list", null)]
    [InlineData("name: fn\nruntime: onnx\nmodel:", "model", 3, "needs a value", null)]
    // Ranges.
    [InlineData(Onnx + "instances: { min: -1 }", "instances.min", 4, "must be at least 0, got -1", null)]
    [InlineData(Onnx + "instances: { max: 0 }", "instances.max", 4, "must be at least 1, got 0", "'min: 0' is what scales to zero")]
    [InlineData(Onnx + "instances: { min: 5, max: 2 }", "instances.min", 4, "must not be more than instances.max (2), got 5", "raise max or lower min")]
    [InlineData(Onnx + "instances: { min: 6 }", "instances.min", 4, "must not be more than instances.max (4, the default), got 6", null)]
    [InlineData(Onnx + "instances: { concurrency: 0 }", "instances.concurrency", 4, "must be at least 1, got 0", null)]
    [InlineData(Onnx + "instances: { concurrency: 1025 }", "instances.concurrency", 4, "must be at most 1024, got 1025", null)]
    [InlineData(Onnx + "instances: { max: 99999999999 }", "instances.max", 4, "must be at most 2147483647", null)]
    [InlineData(Onnx + "instances: { idle: 500ms }", "instances.idle", 4, "must be at least 1s, got 500ms", null)]
    [InlineData(Onnx + "timeout: 0.5", "timeout", 4, "must be at least 1s, got 0.5", null)]
    [InlineData(Onnx + "timeout: 2h", "timeout", 4, "must be at most 1h, got 2h", null)]
    [InlineData(Onnx + "timeout: 61m", "timeout", 4, "must be at most 1h, got 61m", null)]
    [InlineData(Onnx + "timeout: -5s", "timeout", 4, "must be a duration, got '-5s'", null)]
    [InlineData(Onnx + "resources: { cpu: 0 }", "resources.cpu", 4, "must be more than 0, got 0", null)]
    [InlineData(Onnx + "resources: { cpu: 300 }", "resources.cpu", 4, "must be at most 256, got 300", null)]
    [InlineData(Onnx + "resources: { cpu: 500m }", "resources.cpu", 4, "must be a number, got '500m'", "cores as a number: '500m' is 0.5")]
    [InlineData(Onnx + "resources: { memory: 32Mi }", "resources.memory", 4, "must be at least 64Mi, got 32Mi", null)]
    [InlineData(Onnx + "resources: { memory: 2Ti }", "resources.memory", 4, "must be at most 1Ti, got 2Ti", null)]
    [InlineData(Onnx + "resources: { memory: 2GB }", "resources.memory", 4, "must be a memory size, got '2GB'", "without 'B'")]
    [InlineData(Onnx + "resources: { memory: lots }", "resources.memory", 4, "must be a memory size, got 'lots'", "512Mi, 2Gi")]
    [InlineData(Onnx + "resources: { gpu: -1 }", "resources.gpu", 4, "must be at least 0, got -1", null)]
    [InlineData(Onnx + "resources: { gpu: .nan }", "resources.gpu", 4, "must be a number, got '.nan'", null)]
    // Name and runtime.
    [InlineData("name: OCR_Rec\nruntime: onnx\nmodel: m.onnx", "name", 1, "must be lower-case letters, digits and '-', starting with a letter, got 'OCR_Rec'", "try 'ocr-rec'")]
    [InlineData("name: 1fn\nruntime: onnx\nmodel: m.onnx", "name", 1, "starting with a letter, got '1fn'", "try 'fn'")]
    [InlineData("name: a234567890123456789012345678901234567890123456789012345678901234\nruntime: onnx\nmodel: m.onnx", "name", 1, "must be at most 63 characters, got 64", null)]
    [InlineData("name: fn\nruntime: python\nmodel: m.onnx", "runtime", 2, "must be 'onnx' or 'dotnet', got 'python'", "onnx serves a model file")]
    [InlineData("name: fn\nruntime: ONNX\nmodel: m.onnx", "runtime", 2, "must be 'onnx' or 'dotnet', got 'ONNX'", "did you mean 'onnx'?")]
    [InlineData("name: fn\nruntime: native\nmodel: m.onnx", "runtime", 2, "'native' is not supported yet", "supported runtimes: onnx")]
    // Required keys and what each runtime needs or forbids.
    [InlineData("runtime: onnx\nmodel: m.onnx", "name", 1, "required", "name: my-function")]
    [InlineData("name: fn\nmodel: m.onnx", "runtime", 1, "required", "runtime: onnx")]
    [InlineData("name: fn\nruntime: onnx", "model", 2, "required for runtime onnx", "model: your-model.onnx")]
    [InlineData(Onnx + "handler: My.Handler", "handler", 4, "only runtime dotnet has a handler", "runtime: dotnet")]
    [InlineData(Onnx + "entry: src/a.csproj", "entry", 4, "only runtime dotnet has an entry project", null)]
    [InlineData(Onnx + "models: { det: det.onnx }", "models", 4, "only runtime dotnet loads 'models'", null)]
    [InlineData("name: fn\nruntime: dotnet", "handler", 2, "required for runtime dotnet", "handler: MyNamespace.MyHandler")]
    [InlineData("name: fn\nruntime: dotnet\nhandler: 'My Handler'", "handler", 3, "must be the full name of a class, got 'My Handler'", null)]
    // Model and entry paths: relative, inside the package, with the right extension.
    [InlineData("name: fn\nruntime: onnx\nmodel: ../m.onnx", "model", 3, "must stay inside the package (no '..'), got '../m.onnx'", "relative to serval.yaml")]
    [InlineData("name: fn\nruntime: onnx\nmodel: models/../../m.onnx", "model", 3, "must stay inside the package", null)]
    [InlineData("name: fn\nruntime: onnx\nmodel: /srv/m.onnx", "model", 3, "must be relative to serval.yaml, not absolute, got '/srv/m.onnx'", null)]
    [InlineData("name: fn\nruntime: onnx\nmodel: C:/m.onnx", "model", 3, "not absolute", null)]
    [InlineData("name: fn\nruntime: onnx\nmodel: ~/m.onnx", "model", 3, "not absolute", null)]
    [InlineData("name: fn\nruntime: onnx\nmodel: 'models\\m.onnx'", "model", 3, "must use '/' between folders", null)]
    [InlineData("name: fn\nruntime: onnx\nmodel: model.pt", "model", 3, "must name a .onnx file, got 'model.pt'", "export the model to .onnx")]
    [InlineData("name: fn\nruntime: onnx\nmodel: ./", "model", 3, "must name a file", null)]
    [InlineData(Dotnet + "models: { det: ../det.onnx }", "models.det", 4, "must stay inside the package", null)]
    [InlineData(Dotnet + "models:\n  det: det.onnx\n  rec: rec.bin", "models.rec", 6, "must name a .onnx file", null)]
    [InlineData(Dotnet + "models: { 'a b': x.onnx }", "models.a b", 4, "a model's name must be letters", null)]
    [InlineData(Dotnet + "models: [det.onnx]", "models", 4, "must be a mapping, got a list", null)]
    [InlineData(Dotnet + "entry: build.sh", "entry", 4, "must name a .csproj file", null)]
    // Duplicate keys: the second is reported, at its own line.
    [InlineData(Onnx + "name: other", "name", 4, "duplicate key, first given on line 1", "remove one of them")]
    [InlineData(Onnx + "instances: { max: 2, max: 3 }", "instances.max", 4, "duplicate key", null)]
    [InlineData(Dotnet + "env:\n  A: 1\n  A: 2", "env.A", 6, "duplicate key, first given on line 5", null)]
    // Keys that are not words.
    [InlineData(Onnx + "? [a]\n: 1", "", 4, "a key must be a word, got a list", null)]
    public void Parse_InvalidSpec_ReportsTheFieldLineAndMessage(string yaml, string field, int line, string message, string? hint)
    {
        var result = SpecParser.Parse(yaml);

        Assert.Null(result.Spec);
        var error = Assert.Single(result.Errors);
        Assert.Equal("serval.yaml", error.File);
        Assert.Equal(field, error.Field);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
        if (hint is not null)
        {
            Assert.Contains(hint, error.Hint);
        }
    }

    [Theory]
    [InlineData("placement")]
    [InlineData("mounts")]
    [InlineData("command")]
    public void Parse_KeyOfALaterFeature_SaysNotSupportedYet(string key)
    {
        var error = Assert.Single(SpecParser.Parse(Onnx + key + ": x").Errors);

        Assert.Equal(key, error.Field);
        Assert.Equal(4, error.Line);
        Assert.Equal(1, error.Column);
        Assert.Equal("not supported yet", error.Message);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("# nothing but a comment\n", "the file is empty")]
    [InlineData("---\n", "the file is empty")]
    [InlineData("- name: fn\n- runtime: onnx", "must be a mapping of keys (name: ..., runtime: ...), got a list")]
    [InlineData("just some text", "must be a mapping of keys (name: ..., runtime: ...), got 'just some text'")]
    public void Parse_DocumentNotASpec_ReportsItAtTheStart(string yaml, string message)
    {
        var error = Assert.Single(SpecParser.Parse(yaml).Errors);

        Assert.Equal("", error.Field);
        Assert.Equal(1, error.Line);
        Assert.Equal(1, error.Column);
        Assert.Equal(message, error.Message);
        Assert.Contains("name: my-function", error.Hint);
    }

    [Fact]
    public void Parse_TwoDocuments_ReportsTheSecond()
    {
        var error = Assert.Single(SpecParser.Parse(Onnx + "---\nname: other\n").Errors);

        Assert.Equal(4, error.Line);
        Assert.Equal("holds more than one YAML document", error.Message);
    }

    [Theory]
    [InlineData("name: fn\nruntime: [onnx\nmodel: m.onnx\n", 2, 1, "not valid YAML from here on (is a '[', '{' or quote left open?)")]
    [InlineData("name: fn\nruntime: onnx: dotnet\n", 2, 14, "while scanning a plain scalar value, found invalid mapping")]
    [InlineData("name: fn\n  runtime: onnx\n", 2, 10, "while scanning a plain scalar value, found invalid mapping")]
    [InlineData("name: 'fn\nruntime: onnx\n", 1, 7, "while scanning a quoted scalar, found unexpected end of stream")]
    [InlineData("name: fn\nruntime: [onnx, dotnet\n", 3, 1, "while parsing a flow sequence, did not find expected ',' or ']'")]
    [InlineData(Onnx + "env: { A: b\n", 5, 1, "while parsing a flow mapping, did not find expected ',' or '}'")]
    [InlineData("name: fn\nenv: *missing\n", 2, 6, "the alias '*missing' names no anchor")]
    public void Parse_YamlSyntaxError_ReportsYamlDotNetsPosition(string yaml, int line, int column, string message)
    {
        var error = Assert.Single(SpecParser.Parse(yaml).Errors);

        Assert.Equal("", error.Field);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal(message, error.Message);
        Assert.Contains("indentation", error.Hint);
    }

    [Fact]
    public void Parse_DeeplyNestedValue_ReportsAnErrorInsteadOfOverflowing()
    {
        var yaml = Onnx + "env: " + new string('[', 10_000) + new string(']', 10_000);

        var error = Assert.Single(SpecParser.Parse(yaml).Errors);

        Assert.Contains("nested deeper than 64 levels", error.Message);
    }
}
