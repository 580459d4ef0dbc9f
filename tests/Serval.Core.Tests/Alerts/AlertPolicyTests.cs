using Serval.Core.Alerts;
using Serval.Core.Security;

namespace Serval.Core.Tests.Alerts;

public sealed class AlertPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly AlertRule Errors = new() { Name = "errors", Signal = AlertSignal.ErrorRate, Above = 0.05, For = TimeSpan.FromMinutes(1), MinRequests = 10 };

    /// <summary>
    /// A script of evaluations 30 s apart, each a reading for function "a" (value, requests; null: no
    /// reading), and the expected status after it with the transition announced (F fired, R resolved).
    /// </summary>
    [Theory]
    // Breached from 12:00: pending at 0 s and 30 s, fires at 60 s (for: 1m), resolves at the first reading below.
    [InlineData("0.2/20 0.3/20 0.25/20 0.01/20", "Pending Pending Firing: -", "- - F R")]
    // A pending alert that recovers is dropped without a word, and its next breach starts the wait again.
    [InlineData("0.2/20 0.01/20 0.2/20 0.2/20 0.2/20", "Pending - Pending Pending Firing:", "- - - - F")]
    // Too few requests behind a rate is no judgement: 1 failure of 1 does not breach.
    [InlineData("1/1 1/1 1/1", "- - -", "- - -")]
    // Exactly the threshold is not above it.
    [InlineData("0.05/100 0.05/100 0.05/100", "- - -", "- - -")]
    // A firing alert whose function had no calls in the window (no reading) resolves.
    [InlineData("0.2/20 0.2/20 0.2/20 null", "Pending Pending Firing: -", "- - F R")]
    // Firing stays firing (announced once) while breached.
    [InlineData("0.2/20 0.2/20 0.2/20 0.9/20 0.9/20", "Pending Pending Firing: Firing: Firing:", "- - F - -")]
    public void Evaluate_Script_ReachesTheStatesInOrder(string readings, string statuses, string announced)
    {
        string[] values = readings.Split(' ');
        string[] expected = statuses.Split(' ');
        string[] events = announced.Split(' ');
        IReadOnlyList<ActiveAlert> active = [];
        for (int i = 0; i < values.Length; i++)
        {
            DateTimeOffset now = T0.AddSeconds(30 * i);
            var input = values[i] == "null" ? [] : new[] { Reading("errors", "a", values[i]) };
            AlertEvaluation result = AlertPolicy.Evaluate([Errors], input, active, now);

            string status = result.Active.SingleOrDefault() is { } alert ? alert.Status.ToString() : "-";
            Assert.Equal(expected[i].TrimEnd(':'), status);
            string transition = result.Transitions.SingleOrDefault() is { } t ? (t.Alert.Status == AlertStatus.Firing ? "F" : "R") : "-";
            Assert.Equal(events[i], transition);
            active = result.Active;
        }
    }

    [Fact]
    public void Evaluate_FiringAlert_CarriesWhenItBeganAndFired_AndItsResolutionWhenItEnded()
    {
        var first = AlertPolicy.Evaluate([Errors], [Reading("errors", "a", "0.2/20")], [], T0);
        var fired = AlertPolicy.Evaluate([Errors], [Reading("errors", "a", "0.4/20")], first.Active, T0.AddMinutes(1));
        var resolved = AlertPolicy.Evaluate([Errors], [], fired.Active, T0.AddMinutes(2));

        ActiveAlert alert = Assert.Single(fired.Active);
        Assert.Equal((T0, T0.AddMinutes(1), 0.4), (alert.ActiveAt, alert.FiredAt!.Value, alert.Value));
        AlertTransition end = Assert.Single(resolved.Transitions);
        Assert.Equal(AlertStatus.Resolved, end.Alert.Status);
        Assert.Equal(T0.AddMinutes(2), end.Alert.ResolvedAt);
        Assert.Equal(T0, end.Alert.ActiveAt);
        Assert.Same(Errors, end.Rule);
        Assert.Empty(resolved.Active);
    }

    [Fact]
    public void Evaluate_ForZero_FiresAtTheFirstBreach()
    {
        var rule = new AlertRule { Name = "jobs", Signal = AlertSignal.AsyncFailures, Above = 0, For = TimeSpan.Zero };

        var result = AlertPolicy.Evaluate([rule], [new AlertReading("jobs", "a", 1, 0)], [], T0);

        Assert.Equal(AlertStatus.Firing, Assert.Single(result.Active).Status);
        Assert.Single(result.Transitions);
    }

    [Fact]
    public void Evaluate_QueueAgeRule_NeedsNoRequests()
    {
        var rule = new AlertRule { Name = "old", Signal = AlertSignal.QueueAge, Above = 60, For = TimeSpan.Zero, MinRequests = 10 };

        var result = AlertPolicy.Evaluate([rule], [new AlertReading("old", "a", 61, 0)], [], T0);

        Assert.Single(result.Transitions);
    }

    [Fact]
    public void Evaluate_EachFunctionAlone_OnlyThoseThePatternCovers()
    {
        var rule = Errors with { Functions = new FunctionPattern("ocr-*"), For = TimeSpan.Zero };

        var result = AlertPolicy.Evaluate([rule], [Reading("errors", "ocr-rec", "0.5/50"), Reading("errors", "ocr-det", "0.01/50"), Reading("errors", "hello", "0.9/50")], [], T0);

        Assert.Equal(["ocr-rec"], result.Active.Select(a => a.Function));
    }

    [Fact]
    public void Evaluate_RuleNoLongerListed_ResolvesItsFiringAlerts()
    {
        var firing = new ActiveAlert("gone", "a", AlertStatus.Firing, T0, T0, null, 1);

        var result = AlertPolicy.Evaluate([Errors], [], [firing], T0.AddMinutes(1));

        AlertTransition t = Assert.Single(result.Transitions);
        Assert.Equal(AlertStatus.Resolved, t.Alert.Status);
        Assert.Null(t.Rule);
    }

    [Fact]
    public void Evaluate_ActiveAlerts_InRuleOrderThenByFunction()
    {
        var p99 = new AlertRule { Name = "slow", Signal = AlertSignal.P99, Above = 1, For = TimeSpan.Zero, MinRequests = 0 };
        var errors = Errors with { For = TimeSpan.Zero };

        var result = AlertPolicy.Evaluate([p99, errors], [Reading("errors", "b", "1/20"), Reading("errors", "a", "1/20"), Reading("slow", "z", "2/20")], [], T0);

        Assert.Equal(["slow/z", "errors/a", "errors/b"], result.Active.Select(a => $"{a.Rule}/{a.Function}"));
    }

    private static AlertReading Reading(string rule, string function, string valueAndRequests)
    {
        string[] parts = valueAndRequests.Split('/');
        return new AlertReading(rule, function, double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
