using System.Globalization;
using Serval.Core.Security;
using Serval.Core.Specs;

namespace Serval.Core.Alerts;

/// <summary>
/// Reads the alerts file (<c>--alerts FILE</c>). YAML, like <c>serval.yaml</c> and Prometheus' own
/// rule files, so it can carry comments next to its thresholds; JSON is YAML too and is read as well.
/// </summary>
/// <example>
/// <code>
/// interval: 15s
/// webhooks: [ "http://127.0.0.1:9000/alerts" ]
/// rules:
///   - name: OcrErrors
///     signal: error_rate      # error_rate, p99, queue_age, cold_start_rate, async_failures
///     functions: "ocr*"
///     above: 0.05
///     window: 5m
///     for: 1m
///     min_requests: 10
/// </code>
/// </example>
public static class AlertConfigReader
{
    /// <summary>The configuration in <paramref name="text"/>, or every problem with its line (<paramref name="file"/> names it).</summary>
    public static (AlertConfig? Config, IReadOnlyList<string> Errors) Read(string file, string text)
    {
        var errors = new List<string>();
        ConfigMap? root = ConfigMap.Load(file, text, errors);
        if (root is null)
        {
            return (null, errors);
        }

        var defaults = new AlertConfig();
        TimeSpan interval = root.Duration("interval", defaults.Interval);
        if (interval < TimeSpan.FromMilliseconds(100) && root.Node("interval") is { } i)
        {
            root.Error(i, "interval", $"must be at least 100ms, got {SpecUnits.FormatDuration(interval)}");
        }

        double attempts = root.Double("webhook_attempts", defaults.WebhookAttempts, min: 1);
        TimeSpan timeout = root.Duration("webhook_timeout", defaults.WebhookTimeout);
        var webhooks = new List<Uri>();
        IReadOnlyList<YamlNode> hooks = root.List("webhooks");
        for (int n = 0; n < hooks.Count; n++)
        {
            if (root.ItemText("webhooks", n, hooks[n]) is { } url)
            {
                if (Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https")
                {
                    webhooks.Add(uri);
                }
                else
                {
                    root.Error(hooks[n], $"webhooks[{n}]", $"expected an http:// or https:// URL, got '{url}'");
                }
            }
        }

        IReadOnlyList<AlertRule> rules = defaults.Rules;
        if (root.Node("rules") is not null)
        {
            var read = new List<AlertRule>();
            IReadOnlyList<YamlNode> items = root.List("rules");
            for (int n = 0; n < items.Count; n++)
            {
                if (root.Item("rules", n, items[n]) is { } map && Rule(map) is { } rule)
                {
                    if (read.Any(r => r.Name == rule.Name))
                    {
                        map.Error("name", $"'{rule.Name}' names an earlier rule too: names must be unique");
                    }

                    read.Add(rule);
                }
            }

            rules = read;
        }

        root.RejectUnknown();
        return errors.Count > 0
            ? (null, errors)
            : (new AlertConfig { Rules = rules, Webhooks = webhooks, Interval = interval, WebhookAttempts = (int)attempts, WebhookTimeout = timeout }, errors);
    }

    private static AlertRule? Rule(ConfigMap map)
    {
        string? name = map.Text("name");
        string? signalText = map.Text("signal");
        AlertSignal? signal = signalText is null ? null : AlertSignals.Parse(signalText);
        if (name is null or "")
        {
            map.Error("name", "missing: every rule needs a name");
        }

        if (signalText is null)
        {
            map.Error("signal", $"missing: one of {AlertSignals.Names}");
        }
        else if (signal is null)
        {
            map.Error(map.Node("signal")!, "signal", $"'{signalText}' is not a signal (one of {AlertSignals.Names})");
        }

        FunctionPattern functions = FunctionPattern.All;
        if (map.Text("functions") is { } text)
        {
            var (pattern, error) = FunctionPattern.Parse(text);
            if (pattern is { } p)
            {
                functions = p;
            }
            else
            {
                map.Error(map.Node("functions")!, "functions", error!);
            }
        }

        bool hasAbove = map.Node("above") is not null;
        double above = map.Double("above", 0);
        if (!hasAbove)
        {
            map.Error("above", "missing: the threshold the signal must pass (0.05 for 5 %, 2.5 for 2.5 s, 0 for any failure)");
        }

        TimeSpan window = map.Duration("window", TimeSpan.FromMinutes(5));
        if (window <= TimeSpan.Zero && map.Node("window") is { } w)
        {
            map.Error(w, "window", "must be more than 0");
        }

        TimeSpan forDuration = map.Duration("for", TimeSpan.FromMinutes(1));
        double minRequests = map.Double("min_requests", 10, min: 0);
        map.RejectUnknown();
        if (name is null or "" || signal is null || !hasAbove)
        {
            return null;
        }

        return new AlertRule
        {
            Name = name,
            Signal = signal.Value,
            Functions = functions,
            Above = above,
            Window = window,
            For = forDuration,
            MinRequests = (int)Math.Min(minRequests, int.MaxValue),
        };
    }

    /// <summary>A threshold as the API shows it: <c>0.05</c>.</summary>
    public static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
