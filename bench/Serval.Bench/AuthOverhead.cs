using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Serval.Bench;

/// <summary>
/// What auth costs a call: cls <c>[1,3,48,192]</c> (a small model, so the access layer's share is
/// the largest it gets) through <c>/fn/{name}</c> on a platform with <c>--auth on</c>, called with an
/// invoke key limited to a prefix (authentication, the policy, a quota's bucket), against the same
/// on a platform with auth off. Both platforms run at once, each with one instance of one intra-op
/// thread; calls alternate one by one (the order swapped each round) so drift on a shared machine
/// hits both alike. <c>SERVAL_BENCH_AUTH=off</c> starts both with auth off: the A/A ratio shows how
/// far two platforms differ without auth (on this shared 2-core machine, by more than 2 %).
/// </summary>
public static class AuthOverhead
{
    /// <summary>Measures and prints the p50 ratio on/off.</summary>
    public static async Task<double> RunAsync(int rounds, int perRound)
    {
        await using Platform off = await Platform.StartAsync("--auth", "off");
        bool aa = Environment.GetEnvironmentVariable("SERVAL_BENCH_AUTH") == "off";
        await using Platform on = await Platform.StartAsync("--auth", aa ? "off" : "on");
        const string name = "auth-cls";
        await off.DeployAsync(name, Repo.Cls, "instances: { concurrency: 1 }");
        await on.DeployAsync(name, Repo.Cls, "instances: { concurrency: 1 }");

        // The measured client holds an invoke key for auth-* with a quota it never reaches.
        using var create = await on.Client.PostAsJsonAsync("/v1/keys", new { scopes = new[] { "invoke" }, functions = new[] { "auth-*" }, rpm = 1_000_000 });
        create.EnsureSuccessStatusCode();
        string key = (await create.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
        using var invoker = new HttpClient { BaseAddress = on.Url };
        invoker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var open = new HttpClient { BaseAddress = off.Url };

        var payload = new Payload([1, 3, 48, 192]);
        for (int i = 0; i < 20; i++)
        {
            await CallAsync(open, payload, name);
            await CallAsync(invoker, payload, name);
        }

        var withAuth = new List<double>();
        var without = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            bool onFirst = round % 2 == 0;
            for (int i = 0; i < perRound; i++)
            {
                foreach (bool auth in onFirst ? [true, false] : new[] { false, true })
                {
                    (auth ? withAuth : without).Add(await CallAsync(auth ? invoker : open, payload, name));
                }
            }
        }

        double ratio = Stats.Percentile(withAuth, 50) / Stats.Percentile(without, 50);
        Console.WriteLine($"auth cls [1,3,48,192]: auth off {Stats.Describe(without)}");
        Console.WriteLine($"auth cls [1,3,48,192]: auth on  {Stats.Describe(withAuth)}");
        Console.WriteLine($"auth{(aa ? " (A/A: both off)" : "")}: p50 ratio on/off = {ratio:0.000} (target ≤ 1.02)");
        return ratio;
    }

    private static async Task<double> CallAsync(HttpClient client, Payload payload, string name)
    {
        using HttpRequestMessage request = payload.Request($"/fn/{name}");
        long t = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await Payload.DrainAsync(response);
        double ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return ms;
    }
}
