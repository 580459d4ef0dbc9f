using Serval.Core.Specs;
using Serval.Server.Functions;

namespace Serval.Server.Gateway;

/// <summary>
/// Who is calling, for the serving alias's split: the business (<c>X-Serval-Bid</c> or <c>?bid=</c>)
/// and the key that keeps the caller on one version (the release's sticky header, else the business).
/// </summary>
public static class Callers
{
    /// <summary>
    /// The version of <paramref name="name"/> for this request: the one it names, or the serving
    /// alias's choice for this caller. Null when there is no such function or version.
    /// </summary>
    public static DeployedVersion? Resolve(FunctionCatalog catalog, string name, string? version, HttpRequest request)
    {
        if ((version is null or "" or DeployedFunction.ServingAlias)
            && catalog.Functions.TryGetValue(name, out DeployedFunction? function) && function.Split.Splits)
        {
            string? bid = Bid(request);
            string sticky = function.Split.Sticky;
            string? key = sticky.Equals(ReleaseSpec.DefaultSticky, StringComparison.OrdinalIgnoreCase) ? bid : Header(request, sticky) ?? bid;
            return function.Serve(bid, key);
        }

        return catalog.Resolve(name, version);
    }

    /// <summary>The caller's business: <c>X-Serval-Bid</c>, else the query's <c>bid</c>; null without either.</summary>
    public static string? Bid(HttpRequest request) =>
        Header(request, ReleaseSpec.DefaultSticky) ?? (request.Query.TryGetValue("bid", out var bid) && bid.Count > 0 && !string.IsNullOrEmpty(bid[0]) ? bid[0] : null);

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var value) && value.Count > 0 && !string.IsNullOrEmpty(value[0]) ? value[0] : null;
}
