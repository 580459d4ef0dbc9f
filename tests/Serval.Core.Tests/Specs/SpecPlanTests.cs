using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

/// <summary>What <c>plan</c>, <c>routes</c> and <c>batching</c> parse into.</summary>
public class SpecPlanTests
{
    [Fact]
    public void A_plan_parses_into_its_steps_with_their_defaults()
    {
        var spec = SpecParser.Parse("""
            name: ocr
            description: detect, recognise every box, order
            timeout: 30s
            plan:
              partial: true
              steps:
                - { name: detect, function: ocr-detect, runs: gpu }
                - name: recognize
                  function: ocr-recognize
                  version: stable
                  map: true
                  concurrency: 32
                  timeout: 2s
                - { function: ocr-order }
            routes:
              - { tid: ocr }
              - { tid: ocr, bid: acme }
            """).SpecOrThrow();

        Assert.Equal(RuntimeKind.Plan, spec.Runtime);
        Assert.Equal(TimeSpan.FromSeconds(30), spec.Timeout);
        PlanSpec plan = spec.Plan!;
        Assert.True(plan.Partial);
        Assert.Equal(["detect", "recognize", "ocr-order"], plan.Steps.Select(s => s.Name));
        Assert.Equal(StepTarget.Gpu, plan.Steps[0].Runs);
        Assert.False(plan.Steps[0].Map);
        Assert.Equal(new PlanStep { Name = "recognize", Function = "ocr-recognize", Version = "stable", Map = true, Concurrency = 32, Timeout = TimeSpan.FromSeconds(2) }, plan.Steps[1]);
        Assert.Equal(16, plan.Steps[2].Concurrency);
        Assert.Null(plan.Steps[2].Timeout);
        Assert.Equal([new RouteSpec("ocr", null), new RouteSpec("ocr", "acme")], spec.Routes);
    }

    [Fact]
    public void Batching_parses_max_delay_and_buckets()
    {
        var spec = SpecParser.Parse("""
            name: rec
            runtime: dotnet
            handler: Ocr.Recognize
            instances: { concurrency: 16 }
            batching: { max: 16, delay: 4ms, buckets: [64, 128, 256] }
            """).SpecOrThrow();

        Assert.Equal(16, spec.Batching!.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(4), spec.Batching.Delay);
        Assert.Equal([64, 128, 256], spec.Batching.WidthBuckets!);
        Assert.Empty(spec.Batching.Validate());
    }

    [Fact]
    public void A_function_without_batching_or_routes_has_none()
    {
        var spec = SpecParser.Parse("name: fn\nruntime: onnx\nmodel: m.onnx\n").SpecOrThrow();

        Assert.Null(spec.Batching);
        Assert.Null(spec.Plan);
        Assert.Empty(spec.Routes);
    }

    [Theory]
    [InlineData("model: m.onnx")]
    [InlineData("handler: A.B")]
    [InlineData("instances: { max: 2 }")]
    [InlineData("batching: { max: 2 }")]
    public void A_plan_refuses_the_keys_of_a_function(string line)
    {
        var result = SpecParser.Parse($"name: p\nplan: {{ steps: [ {{ function: a }} ] }}\n{line}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("a plan has no '", error.Message);
    }
}
