using Serval.Core.Specs;

namespace Serval.Core.Billing;

/// <summary>
/// Reads the price sheet (<c>--prices FILE</c>), YAML (or JSON); keys left out keep their defaults.
/// </summary>
/// <example>
/// <code>
/// currency: EUR
/// vcpu_second: 0.00002
/// gb_second: 0.000002
/// gpu_second: 0.0002
/// request: 0.0000002
/// idle: { vcpu_second: 0.000005, gb_second: 0.0000005, gpu_second: 0.00005 }
/// </code>
/// </example>
public static class PriceSheetReader
{
    /// <summary>The sheet in <paramref name="text"/>, or every problem with its line (<paramref name="file"/> names it).</summary>
    public static (PriceSheet? Prices, IReadOnlyList<string> Errors) Read(string file, string text)
    {
        var errors = new List<string>();
        ConfigMap? root = ConfigMap.Load(file, text, errors);
        if (root is null)
        {
            return (null, errors);
        }

        var d = new PriceSheet();
        string currency = root.Text("currency") ?? d.Currency;
        var prices = d with
        {
            Currency = currency,
            VcpuSecond = root.Decimal("vcpu_second", d.VcpuSecond),
            GbSecond = root.Decimal("gb_second", d.GbSecond),
            GpuSecond = root.Decimal("gpu_second", d.GpuSecond),
            Request = root.Decimal("request", d.Request),
        };
        if (root.Map("idle") is { } idle)
        {
            prices = prices with
            {
                IdleVcpuSecond = idle.Decimal("vcpu_second", d.IdleVcpuSecond),
                IdleGbSecond = idle.Decimal("gb_second", d.IdleGbSecond),
                IdleGpuSecond = idle.Decimal("gpu_second", d.IdleGpuSecond),
            };
            idle.RejectUnknown();
        }

        root.RejectUnknown();
        return errors.Count > 0 ? (null, errors) : (prices, errors);
    }
}
