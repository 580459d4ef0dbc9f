using System.Text.RegularExpressions;
using Serval.Core.Scheduling;
using YamlDotNet.Core;

namespace Serval.Core.Specs;

/// <summary>
/// One parse of one file: walks the YAML tree key by key, collecting errors rather than stopping
/// at the first, and the position of every key. This part reads the document and the top-level keys;
/// the sections and the scalar values are in the other parts.
/// </summary>
internal sealed partial class SpecReader(string file)
{
    private const string Example = "a minimal spec is 'name: my-function', 'runtime: onnx', 'model: model.onnx', one per line";

    private readonly List<SpecError> _errors = [];
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);

    public SpecParseResult Read(string text)
    {
        List<YamlDocument> documents;
        try
        {
            documents = YamlTree.Load(text);
        }
        catch (YamlException e)
        {
            _errors.Add(new SpecError(file, (int)e.Start.Line, (int)e.Start.Column, "", YamlMessage(e),
                "check the indentation, and quote values that contain ': ' or ' #', or start with '*' as in cron: \"*/5 * * * *\""));
            return Failed();
        }

        if (documents.All(d => d.Root is YamlText { IsNull: true }))
        {
            _errors.Add(new SpecError(file, 1, 1, "", "the file is empty", Example));
            return Failed();
        }

        if (documents.Count > 1)
        {
            _errors.Add(new SpecError(file, documents[1].Line, documents[1].Column, "", "holds more than one YAML document",
                "a function's spec is one document: remove the '---' separators"));
        }

        if (documents[0].Root is not YamlMap top)
        {
            Error(documents[0].Root, "", $"must be a mapping of keys (name: ..., runtime: ...), got {Describe(documents[0].Root)}", Example);
            return Failed();
        }

        var spec = ReadTop(top);
        return spec is not null && _errors.Count == 0 ? new SpecParseResult(spec, []) : Failed();
    }

    private FunctionSpec? ReadTop(YamlMap top)
    {
        string? name = null, model = null, handler = null, entry = null, description = null;
        RuntimeKind? runtime = null;
        IReadOnlyDictionary<string, string> models = new Dictionary<string, string>();
        IReadOnlyDictionary<string, string> env = new Dictionary<string, string>();
        var instances = new InstancesSpec();
        var resources = new ResourcesSpec();
        TimeSpan? timeout = null;
        List<(ScheduleEntry Entry, YamlNode MinNode, string Field)> schedule = [];
        var timeZone = "UTC";
        YamlNode? asyncNode = null;
        Batching.BatchingOptions? batching = null;
        PlanSpec? plan = null;
        IReadOnlyList<RouteSpec> routes = [];
        IReadOnlyList<TriggerSpec> triggers = [];
        ReleaseSpec? release = null;
        var present = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);

        foreach (var (key, keyNode, value) in KnownEntries(top, "", SpecKeys.Top, SpecKeys.Future))
        {
            present[key] = (keyNode, value);
            switch (key)
            {
                case "name": name = ReadName(value); break;
                case "runtime": runtime = ReadRuntime(value); break;
                case "model": model = ReadPath(value, "model", ".onnx", "model files are ONNX: export the model to .onnx"); break;
                case "models": models = ReadModels(value); break;
                case "handler": handler = ReadHandler(value); break;
                case "entry": entry = ReadPath(value, "entry", ".csproj", "entry names the project to build, e.g. 'src/MyFunction.csproj'"); break;
                case "description": description = value is YamlText { IsNull: true } ? null : Text(value, "description", "text"); break;
                case "instances": instances = ReadInstances(value); break;
                case "resources": resources = ReadResources(value); break;
                case "timeout": timeout = ReadDuration(value, "timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)); break;
                case "env": env = ReadEnv(value); break;
                case "schedule": schedule = ReadSchedule(value); break;
                case "timezone": timeZone = ReadTimeZone(value) ?? timeZone; break;
                case "async": asyncNode = value; break;
                case "batching": batching = ReadBatching(value); break;
                case "plan": plan = ReadPlan(value); break;
                case "routes": routes = ReadRoutes(value); break;
                case "triggers": triggers = ReadTriggers(value); break;
                case "release": release = ReadRelease(value); break;
            }
        }

        // Read after the loop: a destination may not name the function itself, whatever the key order.
        AsyncSpec asyncSpec = asyncNode is null ? new AsyncSpec() : ReadAsync(asyncNode, name);
        if (present.ContainsKey("plan"))
        {
            CheckPlanRules(present);
            runtime = _errors.Count == 0 ? RuntimeKind.Plan : null;
        }
        else
        {
            CheckRuntimeRules(top, runtime, present);
        }

        CheckScheduleMins(schedule, instances);
        CheckBatching(batching, instances, present);
        if (batching is not null && !_batchingMaxGiven)
        {
            batching = batching with { Max = instances.Concurrency };
        }
        if (name is null || runtime is null || _errors.Count > 0)
        {
            return null;
        }

        var spec = new FunctionSpec
        {
            Name = name,
            Runtime = runtime.Value,
            Model = model,
            Models = models,
            Handler = handler,
            Entry = entry,
            Description = description,
            Instances = instances,
            Resources = resources,
            Env = env,
            Schedule = schedule.Select(s => s.Entry).ToList(),
            TimeZone = timeZone,
            Async = asyncSpec,
            Batching = batching,
            Plan = plan,
            Routes = routes,
            Triggers = triggers,
            Release = release,
            Lines = _lines,
            Columns = _columns,
        };
        return timeout is { } given ? spec with { Timeout = given } : spec;
    }

    /// <summary>Required keys, and the keys one runtime needs or forbids.</summary>
    private void CheckRuntimeRules(YamlMap top, RuntimeKind? runtime, Dictionary<string, (YamlNode Key, YamlNode Value)> present)
    {
        if (!present.ContainsKey("name"))
        {
            Error(top, "name", "required", "add a line like 'name: my-function'");
        }

        if (!present.TryGetValue("runtime", out var runtimeEntry))
        {
            Error(top, "runtime", "required", "add 'runtime: onnx' to serve a model file, 'runtime: dotnet' for a C# handler, or 'plan:' for steps over functions");
            return;
        }

        if (runtime == RuntimeKind.Onnx)
        {
            if (!present.ContainsKey("model"))
            {
                Error(runtimeEntry.Value, "model", "required for runtime onnx: the model file to serve",
                    present.ContainsKey("models") ? "an onnx function serves one model: write 'model: file.onnx'" : "add 'model: your-model.onnx'");
            }

            Forbid("handler", "only runtime dotnet has a handler", "remove it, or use 'runtime: dotnet'");
            Forbid("models", "only runtime dotnet loads 'models'", "an onnx function serves one 'model: file.onnx'");
            Forbid("entry", "only runtime dotnet has an entry project", "remove it, or use 'runtime: dotnet'");
            Forbid("batching", "batching is not supported yet for runtime onnx",
                "batch in a dotnet function that loads the model through 'models' and implements Serval.Sdk.IBatchFunctionHandler");
            Forbid("triggers", "a trigger sends a JSON payload, which an onnx function's raw input cannot read",
                "trigger a dotnet function (or a plan) that calls the model");
        }
        else if (runtime == RuntimeKind.Dotnet && !present.ContainsKey("handler"))
        {
            Error(runtimeEntry.Value, "handler", "required for runtime dotnet: the full name of the class implementing Serval.Sdk.IFunctionHandler",
                "add 'handler: MyNamespace.MyHandler'");
        }

        void Forbid(string key, string message, string hint)
        {
            if (present.TryGetValue(key, out var entry))
            {
                Error(entry.Key, key, message, hint);
            }
        }
    }

    /// <summary>A plan names functions to call: it has no runtime, code, model or instances of its own.</summary>
    private void CheckPlanRules(Dictionary<string, (YamlNode Key, YamlNode Value)> present)
    {
        foreach (var key in (string[])["runtime", "model", "models", "handler", "entry", "instances", "resources", "batching", "schedule", "env", "release"])
        {
            if (present.TryGetValue(key, out var entry))
            {
                Error(entry.Key, key, $"a plan has no '{key}'", "a plan's steps call functions that are deployed on their own: put it in the spec of the step's function");
            }
        }
    }

    /// <summary>A batch of <c>max</c> needs <c>max</c> invocations in one instance at once (without <c>max</c>, it is <c>instances.concurrency</c>).</summary>
    private void CheckBatching(Batching.BatchingOptions? batching, InstancesSpec instances, Dictionary<string, (YamlNode Key, YamlNode Value)> present)
    {
        if (batching is null || !_batchingMaxGiven || batching.Max <= instances.Concurrency)
        {
            return;
        }

        Error(present["batching"].Key, "batching.max",
            $"a batch of {batching.Max} needs {batching.Max} invocations in one instance at once, but instances.concurrency is {instances.Concurrency}",
            $"set instances: {{ concurrency: {batching.Max} }} or more, or lower batching.max");
    }

    private string? ReadName(YamlNode node)
    {
        if (Text(node, "name", "text") is not { } name)
        {
            return null;
        }

        if (name.Length > 63)
        {
            Error(node, "name", $"must be at most 63 characters, got {name.Length}", null);
            return null;
        }

        if (!NamePattern().IsMatch(name))
        {
            var suggestion = SuggestName(name);
            Error(node, "name", $"must be lower-case letters, digits and '-', starting with a letter, got '{name}'",
                suggestion is null ? null : $"try '{suggestion}'");
            return null;
        }

        return name;
    }

    /// <summary>"OCR_Rec v2" → "ocr-rec-v2"; null when nothing valid is left.</summary>
    private static string? SuggestName(string name)
    {
        var cleaned = NameInvalidRun().Replace(name.ToLowerInvariant(), "-").TrimStart('-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9').TrimEnd('-');
        return NamePattern().IsMatch(cleaned) ? cleaned : null;
    }

    private RuntimeKind? ReadRuntime(YamlNode node)
    {
        var text = Text(node, "runtime", "'onnx' or 'dotnet'");
        switch (text)
        {
            case null:
                return null;
            case "onnx":
                return RuntimeKind.Onnx;
            case "dotnet":
                return RuntimeKind.Dotnet;
            case "native" or "process":
                Error(node, "runtime", $"'{text}' is not supported yet", "supported runtimes: onnx (a model file), dotnet (a C# handler)");
                return null;
            default:
                var near = EditDistance.Nearest(text, ["onnx", "dotnet"]);
                Error(node, "runtime", $"must be 'onnx' or 'dotnet', got '{text}'",
                    near is null ? "onnx serves a model file; dotnet runs a C# handler" : $"did you mean '{near}'?");
                return null;
        }
    }

    private string? ReadHandler(YamlNode node)
    {
        if (Text(node, "handler", "a class name") is not { } handler)
        {
            return null;
        }

        if (!HandlerPattern().IsMatch(handler))
        {
            Error(node, "handler", $"must be the full name of a class, got '{handler}'", "write it like 'MyNamespace.MyHandler'");
            return null;
        }

        return handler;
    }

    private SpecParseResult Failed() =>
        new(null, _errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());

    private void Error(YamlNode at, string field, string message, string? hint) =>
        _errors.Add(new SpecError(file, at.Line, at.Column, field, message, hint));

    /// <summary>
    /// YamlDotNet's message without its "(Line: 3, Col: 5, Idx: 20) - (...): " prefix (the error
    /// carries the position) and in the style of the other messages: "while scanning a quoted
    /// scalar, found unexpected end of stream".
    /// </summary>
    private static string YamlMessage(YamlException e)
    {
        var message = Spaces().Replace(YamlPositionPrefix().Replace(e.Message, ""), " ").Trim().TrimEnd('.');
        return message.Length == 0 ? "not valid YAML" : char.ToLowerInvariant(message[0]) + message[1..];
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NameInvalidRun();

    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{Nd}_]*(\.[\p{L}_][\p{L}\p{Nd}_]*)*(\+[\p{L}_][\p{L}\p{Nd}_]*)*$")]
    private static partial Regex HandlerPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex YamlPositionPrefix();
}
