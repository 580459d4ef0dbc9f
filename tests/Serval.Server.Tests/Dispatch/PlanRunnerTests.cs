using System.Text;
using Serval.Core.Wire;
using Serval.Sdk;
using Serval.Server.Plans;
using Serval.TestSupport.Instances;
using static Serval.Server.Tests.Dispatch.DispatchHarness;

namespace Serval.Server.Tests.Dispatch;

/// <summary>The plan runner over scripted instances: a split, a map over its items, one item failing.</summary>
public class PlanRunnerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_MapWithOneFailingItem_FailsThePlanNamingTheItem()
    {
        await using var harness = new DispatchHarness();
        var plan = await DeployAsync(harness, partial: false);

        PlanOutcome outcome = await harness.Plans.RunAsync(plan, Raw("page"), null, CancellationToken.None).WaitAsync(Bound);

        Assert.Null(outcome.Answer);
        Assert.Equal(ErrorKind.FunctionError, outcome.Error?.Kind);
        Assert.Contains("plan 'fan' step 'work' item 2 of 4: cannot work on boom", outcome.Error!.Message);
        Assert.Equal(["split", "work"], outcome.Steps.Select(s => s.Step));
        Assert.Equal(4, outcome.Steps[1].Items);
    }

    [Fact]
    public async Task RunAsync_PartialMapWithOneFailingItem_GathersTheOthersInOrderAndMarksTheFailure()
    {
        await using var harness = new DispatchHarness();
        var plan = await DeployAsync(harness, partial: true);

        PlanOutcome outcome = await harness.Plans.RunAsync(plan, Raw("page"), null, CancellationToken.None).WaitAsync(Bound);

        Assert.Null(outcome.Error);
        ItemList gathered = ItemList.Parse(outcome.Answer!.Body);
        Assert.Equal(4, gathered.Count);
        Assert.Equal(["A", "B", "", "D"], Enumerable.Range(0, 4).Select(i => Encoding.UTF8.GetString(gathered[i].Span)));
        Assert.Contains("cannot work on boom", gathered.Error(2));
        Assert.Null(gathered.Error(0));
        // The map fanned out over the work function's instances, each item once.
        Assert.Equal(4, harness.Instances.All.Where(i => i.Config.Function == "work").Sum(i => i.Received));
    }

    private static async Task<Serval.Server.Functions.DeployedVersion> DeployAsync(DispatchHarness harness, bool partial)
    {
        await harness.DeployAsync("name: split\nruntime: dotnet\nhandler: Fake.Split\n");
        await harness.DeployAsync("name: work\nruntime: dotnet\nhandler: Fake.Work\ninstances: { concurrency: 4 }\n");
        harness.Instances.Behaviour = Script;
        return await harness.DeployAsync(
            "name: fan\nplan:\n" + (partial ? "  partial: true\n" : "") +
            "  steps:\n    - { name: split, function: split }\n    - { name: work, function: work, map: true, concurrency: 4 }\n");
    }

    private static Task Script(FakeCall call) => call.Function switch
    {
        "split" => call.AnswerAsync(ItemList.Encode([], ["a"u8.ToArray(), "b"u8.ToArray(), "boom"u8.ToArray(), "d"u8.ToArray()]), ItemList.ContentType),
        _ when call.Body == "boom" => call.FailAsync(ErrorKind.FunctionError, "cannot work on boom"),
        _ => call.AnswerAsync(call.Body.ToUpperInvariant()),
    };
}
