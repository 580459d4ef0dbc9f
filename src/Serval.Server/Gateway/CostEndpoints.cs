using System.Text.Json;
using System.Text.Json.Serialization;
using Serval.Server.Billing;

namespace Serval.Server.Gateway;

/// <summary>
/// <c>GET /v1/cost?since=&amp;by=</c>: the bill from <c>since</c> (an age such as <c>1d</c> or an RFC 3339
/// time, rounded down to its minute; default everything) grouped <c>by</c> <c>function</c> (the
/// default), <c>version</c>, <c>mode</c>, or several (<c>by=function,mode</c>), with a total.
/// </summary>
public static class CostEndpoints
{
    private static readonly string[] Dimensions = ["function", "version", "mode"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Maps it.</summary>
    public static void MapCost(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/cost", (HttpContext context, CostLedger ledger, TimeProvider time) =>
        {
            var query = context.Request.Query;
            var (since, error) = LogEndpoints.Since(query["since"].ToString(), time.GetUtcNow());
            var by = new HashSet<string>(StringComparer.Ordinal);
            string byText = query["by"].ToString();
            foreach (string part in (byText.Length == 0 ? "function" : byText).Split(',', StringSplitOptions.TrimEntries))
            {
                if (!Dimensions.Contains(part))
                {
                    error ??= $"by must be function, version or mode (or several, comma-separated: function,mode), got '{part}'";
                }

                by.Add(part);
            }

            if (error is not null)
            {
                return Errors.Result(400, error);
            }

            IReadOnlyList<CostRow> rows = ledger.Read(since, by);
            var total = new CostRow(null, null, null, rows.Sum(r => r.Requests), rows.Sum(r => r.BilledMs), rows.Sum(r => r.IdleSeconds),
                rows.Sum(r => r.Compute), rows.Sum(r => r.RequestCost), rows.Sum(r => r.Idle));
            return Results.Json(new CostAnswer(ledger.Prices.Currency, since, [.. Dimensions.Where(by.Contains)], [.. rows.Select(View)], View(total)), Json);
        });

    private static CostLine View(CostRow r) =>
        new(r.Function, r.Version, r.Mode, r.Requests, r.BilledMs / 1000.0, Math.Round(r.IdleSeconds, 3), r.Compute, r.RequestCost, r.Idle, r.Total);

    /// <summary>The answer.</summary>
    /// <param name="Currency">The price sheet's currency.</param>
    /// <param name="Since">The start asked for (null: everything).</param>
    /// <param name="By">The dimensions grouped by.</param>
    /// <param name="Rows">One per group, ordered by the dimensions.</param>
    /// <param name="Total">All rows together.</param>
    public sealed record CostAnswer(string Currency, DateTimeOffset? Since, IReadOnlyList<string> By, IReadOnlyList<CostLine> Rows, CostLine Total);

    /// <summary>One line of the bill.</summary>
    /// <param name="Function">The function, when grouped by it.</param>
    /// <param name="Version">The version, when grouped by it.</param>
    /// <param name="Mode"><c>on-demand</c> or <c>provisioned</c>, when grouped by it.</param>
    /// <param name="Requests">Invocations charged.</param>
    /// <param name="BilledSeconds">Their billed time.</param>
    /// <param name="IdleSeconds">Idle provisioned instance-seconds.</param>
    /// <param name="ComputeCost">The billed time's cost.</param>
    /// <param name="RequestCost">The requests' cost.</param>
    /// <param name="IdleCost">The idle provisioned time's cost.</param>
    /// <param name="Cost">The sum.</param>
    public sealed record CostLine(string? Function, int? Version, string? Mode, long Requests, double BilledSeconds, double IdleSeconds, decimal ComputeCost, decimal RequestCost, decimal IdleCost, decimal Cost);
}
