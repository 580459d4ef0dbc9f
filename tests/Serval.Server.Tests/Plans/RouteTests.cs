using System.Net;
using System.Text.Json.Nodes;

namespace Serval.Server.Tests.Plans;

/// <summary><c>routes</c>: /predict by tid and bid, a business's route over the default, and the errors.</summary>
public sealed class RouteTests(PlanFixture fixture) : IClassFixture<PlanFixture>
{
    private const string Steps = """
        plan:
          steps:
            - { function: split }
            - { function: shout, map: true }
            - { function: join }
        """;

    [Fact]
    public async Task Requests_are_routed_by_tid_and_a_business_route_overrides_the_default()
    {
        await fixture.DeployPlanAsync("route-default", Steps + "\nroutes:\n  - { tid: words }");
        await fixture.DeployPlanAsync("route-acme", Steps + "\nroutes:\n  - { tid: words, bid: acme }");

        Assert.Equal("route-acme", await RoutedToAsync("/predict?tid=words&bid=acme"));
        Assert.Equal("route-default", await RoutedToAsync("/predict?tid=words&bid=other"));
        Assert.Equal("route-default", await RoutedToAsync("/predict?tid=words"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new StringContent("a,b") };
        request.Headers.Add("X-Serval-Tid", "words");
        request.Headers.Add("X-Serval-Bid", "acme");
        using HttpResponseMessage byHeader = await fixture.Client.SendAsync(request);
        Assert.Equal("route-acme", byHeader.Headers.GetValues("X-Serval-Route").Single());
        var answer = JsonNode.Parse(await byHeader.Content.ReadAsStringAsync())!;
        Assert.Equal(["A!", "B!"], answer["items"]!.AsArray().Select(i => i!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_tid_is_a_404_naming_it_and_a_missing_tid_a_400()
    {
        await fixture.DeployPlanAsync("route-known", Steps + "\nroutes:\n  - { tid: known-task }");

        using HttpResponseMessage unknown = await fixture.Client.PostAsync("/predict?tid=nope", new StringContent("a"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        string error = JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"]!.GetValue<string>();
        Assert.Contains("no route serves tid 'nope'", error);
        Assert.Contains("known-task", error);

        using HttpResponseMessage missing = await fixture.Client.PostAsync("/predict", new StringContent("a"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task A_tid_with_only_business_routes_has_no_default_for_other_businesses()
    {
        await fixture.DeployPlanAsync("route-only-bid", Steps + "\nroutes:\n  - { tid: private-task, bid: zeta }");

        using HttpResponseMessage response = await fixture.Client.PostAsync("/predict?tid=private-task&bid=other", new StringContent("a"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("none for bid 'other'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_route_another_function_serves_is_refused_naming_the_owner()
    {
        await fixture.DeployPlanAsync("route-owner", Steps + "\nroutes:\n  - { tid: owned }");

        var (status, body) = await fixture.DeploySpecAsync($"name: route-thief\n{Steps}\nroutes:\n  - {{ tid: owned }}\n");

        Assert.Equal(400, status);
        Assert.Contains("the route tid 'owned' is already served by 'route-owner'", body);
        Assert.Equal("route-owner", await RoutedToAsync("/predict?tid=owned"));
    }

    private async Task<string> RoutedToAsync(string path)
    {
        using HttpResponseMessage response = await fixture.Client.PostAsync(path, new StringContent("a"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Serval-Route").Single();
    }
}
