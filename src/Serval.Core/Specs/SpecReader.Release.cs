using System.Globalization;
using System.Text.RegularExpressions;

namespace Serval.Core.Specs;

/// <summary>The <c>release</c> section: steps, interval, the two limits, minRequests, bids and the sticky header.</summary>
internal sealed partial class SpecReader
{
    private const string ReleaseExample = "release: { steps: [10, 50, 100], interval: 1m, maxErrorRate: 1%, maxLatencyRatio: 1.5, minRequests: 50 }";

    private ReleaseSpec ReadRelease(YamlNode node)
    {
        var release = new ReleaseSpec();
        if (Section(node, "release", ReleaseExample) is not { } map)
        {
            return release;
        }

        foreach (var (key, _, value) in KnownEntries(map, "release", SpecKeys.Release, []))
        {
            switch (key)
            {
                case "steps" when ReadReleaseSteps(value) is { } steps:
                    release = release with { Steps = steps };
                    break;
                case "interval" when ReadDuration(value, "release.interval", TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)) is { } interval:
                    release = release with { Interval = interval };
                    break;
                case "maxErrorRate" when ReadShare(value, "release.maxErrorRate") is { } rate:
                    release = release with { MaxErrorRate = rate };
                    break;
                case "maxLatencyRatio" when ReadLatencyRatio(value) is { } ratio:
                    release = release with { MaxLatencyRatio = ratio };
                    break;
                case "minRequests" when WholeNumber(value, "release.minRequests", 1, 1_000_000, "requests the new version answers in a step before it is judged, e.g. 50") is { } min:
                    release = release with { MinRequests = min };
                    break;
                case "bids" when ReadBids(value) is { } bids:
                    release = release with { Bids = bids };
                    break;
                case "sticky" when ReadHeaderName(value, "release.sticky") is { } header:
                    release = release with { Sticky = header };
                    break;
            }
        }

        return release;
    }

    /// <summary>Percentages, strictly increasing, ending at 100: <c>[10, 50, 100]</c> (<c>10%</c> is read as 10).</summary>
    private List<int>? ReadReleaseSteps(YamlNode node)
    {
        const string field = "release.steps";
        const string hint = "the new version's share of traffic step by step, rising to 100, e.g. steps: [10, 50, 100]";
        if (node is not YamlList { Items.Count: > 0 } list)
        {
            Error(node, field, $"must be a list of percentages, got {Describe(node)}", hint);
            return null;
        }

        if (list.Items.Count > 10)
        {
            Error(node, field, $"must have at most 10 steps, got {list.Items.Count}", hint);
            return null;
        }

        var steps = new List<int>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            YamlNode item = list.Items[i];
            string at = $"{field}[{i}]";
            if (Text(item, at, "a percentage") is not { } text)
            {
                return null;
            }

            string digits = text.EndsWith('%') ? text[..^1].TrimEnd() : text;
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int percent) || percent < 1 || percent > 100)
            {
                Error(item, at, $"must be a whole percentage from 1 to 100, got '{Show(item)}'", hint);
                return null;
            }

            if (steps.Count > 0 && percent <= steps[^1])
            {
                Error(item, at, $"must be more than the step before it ({steps[^1]}), got {percent}", hint);
                return null;
            }

            steps.Add(percent);
        }

        if (steps[^1] != 100)
        {
            Error(list.Items[^1], field, $"must end at 100 (the new version takes all traffic), ends at {steps[^1]}", $"add 100: steps: [{string.Join(", ", steps)}, 100]");
            return null;
        }

        return steps;
    }

    /// <summary>A share: <c>1%</c>, <c>0.5%</c>, or a fraction up to 1 (<c>0.01</c>).</summary>
    private double? ReadShare(YamlNode node, string field)
    {
        const string hint = "a percentage like 1% or 0.5% (or a fraction like 0.01)";
        if (Text(node, field, "a percentage") is not { } text)
        {
            return null;
        }

        bool percent = text.EndsWith('%');
        string number = percent ? text[..^1].TrimEnd() : text;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            Error(node, field, $"must be a percentage, got '{Show(node)}'", hint);
            return null;
        }

        if (!percent && value > 1)
        {
            Error(node, field, $"must be a percentage or a fraction up to 1, got '{Show(node)}'", $"write {number}% for {number} percent");
            return null;
        }

        double share = percent ? value / 100 : value;
        if (share > 1)
        {
            Error(node, field, $"must be at most 100%, got '{Show(node)}'", hint);
            return null;
        }

        return share;
    }

    /// <summary><c>maxLatencyRatio</c>: a multiple in [1, 100].</summary>
    private double? ReadLatencyRatio(YamlNode node)
    {
        const string field = "release.maxLatencyRatio";
        const string hint = "the most the new version's p99 may be as a multiple of the old one's, e.g. 1.5";
        if (Number(node, field, hint) is not { } ratio)
        {
            return null;
        }

        if (ratio < 1 || ratio > 100)
        {
            Error(node, field, ratio < 1 ? $"must be at least 1, got {Show(node)}" : $"must be at most 100, got {Show(node)}", hint);
            return null;
        }

        return ratio;
    }

    private List<string>? ReadBids(YamlNode node)
    {
        const string field = "release.bids";
        const string hint = "the businesses that see the new version before it is promoted, e.g. bids: [acme, beta-tester]";
        if (node is not YamlList { Items.Count: > 0 } list)
        {
            Error(node, field, $"must be a list of business ids, got {Describe(node)}", hint);
            return null;
        }

        var bids = new List<string>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (ReadWord(list.Items[i], $"{field}[{i}]", "a business id") is not { } bid)
            {
                return null;
            }

            if (bids.Contains(bid))
            {
                Error(list.Items[i], $"{field}[{i}]", $"'{bid}' is given twice", "remove one of them");
                return null;
            }

            bids.Add(bid);
        }

        return bids;
    }

    private string? ReadHeaderName(YamlNode node, string field)
    {
        if (Text(node, field, "a header name") is not { } text)
        {
            return null;
        }

        if (!HeaderNamePattern().IsMatch(text))
        {
            Error(node, field, $"must be an HTTP header name (letters, digits and '-', at most 64), got '{Show(node)}'", "e.g. sticky: X-User-Id");
            return null;
        }

        return text;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,63}$")]
    private static partial Regex HeaderNamePattern();
}
