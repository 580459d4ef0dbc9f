using System.Collections.Frozen;
using Serval.Core.Specs;
using Serval.Server.Functions;

namespace Serval.Server.Plans;

/// <summary>
/// The (bid, tid) → function or plan table of <c>routes</c>, built from the catalog's snapshot (each
/// function's latest spec) and rebuilt when the snapshot changes. A route with a bid wins over the
/// route without one for the same tid.
/// </summary>
public sealed class RouteTable(FunctionCatalog catalog)
{
    private Built? _built;

    /// <summary>The function or plan serving <paramref name="tid"/> for <paramref name="bid"/>, or the reason there is none.</summary>
    public (string? Target, string? Error) Resolve(string? tid, string? bid)
    {
        if (string.IsNullOrEmpty(tid))
        {
            return (null, "the request names no task type: give 'tid' (and 'bid' for a business's own route) as a query parameter or the header X-Serval-Tid");
        }

        FrozenDictionary<(string Tid, string Bid), string> routes = Routes();
        if (!string.IsNullOrEmpty(bid) && routes.TryGetValue((tid, bid), out string? own))
        {
            return (own, null);
        }

        if (routes.TryGetValue((tid, ""), out string? fallback))
        {
            return (fallback, null);
        }

        var tids = routes.Keys.Select(k => k.Tid).Distinct().Order(StringComparer.Ordinal).ToList();
        if (!tids.Contains(tid))
        {
            return (null, $"no route serves tid '{tid}'{(tids.Count == 0 ? " (no routes are deployed)" : $" (routed tids: {string.Join(", ", tids)})")}");
        }

        return (null, $"tid '{tid}' has routes only for other businesses, none for bid '{bid}' and no default (a route without bid)");
    }

    /// <summary>Every route, for listing: tid, bid ("" for the default) and target.</summary>
    public IEnumerable<(string Tid, string Bid, string Target)> All() =>
        Routes().Select(r => (r.Key.Tid, r.Key.Bid, r.Value)).OrderBy(r => r.Tid, StringComparer.Ordinal).ThenBy(r => r.Bid, StringComparer.Ordinal);

    private FrozenDictionary<(string Tid, string Bid), string> Routes()
    {
        var functions = catalog.Functions;
        Built? built = Volatile.Read(ref _built);
        if (built is not null && ReferenceEquals(built.Snapshot, functions))
        {
            return built.Routes;
        }

        var routes = new Dictionary<(string, string), string>();
        foreach (var (name, function) in functions)
        {
            foreach (RouteSpec route in function.Latest.Spec.Routes)
            {
                routes[(route.Tid, route.Bid ?? "")] = name;
            }
        }

        var frozen = routes.ToFrozenDictionary();
        Volatile.Write(ref _built, new Built(functions, frozen));
        return frozen;
    }

    private sealed record Built(object Snapshot, FrozenDictionary<(string Tid, string Bid), string> Routes);
}
