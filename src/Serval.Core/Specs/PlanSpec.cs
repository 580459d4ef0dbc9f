namespace Serval.Core.Specs;

/// <summary>
/// <c>plan</c>: steps over functions, run in order; each step's answer is the next step's request.
/// A <see cref="PlanStep.Map"/> step fans out over the items of the list the step before it answered
/// and gathers the results in their original order. Deployed, versioned and called like a function.
/// </summary>
public sealed record PlanSpec
{
    /// <summary>The steps, in order (at least one).</summary>
    public required IReadOnlyList<PlanStep> Steps { get; init; }

    /// <summary>
    /// <c>partial</c>: when true, a failed item of a map step is kept in the gathered list, marked
    /// failed, and the plan goes on; when false (default), it fails the request naming step and item.
    /// </summary>
    public bool Partial { get; init; }
}

/// <summary>Where a step runs: the kind of node its function's instances are placed on.</summary>
public enum StepTarget
{
    /// <summary>Any node (default).</summary>
    Cpu,
    /// <summary>A node with a GPU where the platform has one; elsewhere the CPU, with a warning at deploy.</summary>
    Gpu,
}

/// <summary>One step of a plan.</summary>
public sealed record PlanStep
{
    /// <summary><c>name</c>: unique within the plan; errors and headers name it.</summary>
    public required string Name { get; init; }

    /// <summary><c>function</c>: the function it calls (its <c>latest</c>, or <see cref="Version"/>).</summary>
    public required string Function { get; init; }

    /// <summary><c>version</c>: a version number or alias of the function; null for <c>latest</c>.</summary>
    public string? Version { get; init; }

    /// <summary><c>map</c>: call the function once per item of the previous step's list, in parallel.</summary>
    public bool Map { get; init; }

    /// <summary><c>concurrency</c>: the most items of this map step in flight at once (default 16).</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary><c>runs</c>: <c>cpu</c> or <c>gpu</c>.</summary>
    public StepTarget Runs { get; init; }

    /// <summary><c>timeout</c>: the longest one call of this step may take (each item, for a map); null: the function's own.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>
/// One entry of <c>routes</c>: requests to <c>/predict</c> with this task type (<c>tid</c>), and this
/// business (<c>bid</c>) when given, are served by the spec that declares the route. A route with a
/// bid overrides the route without one for that tid.
/// </summary>
public sealed record RouteSpec(string Tid, string? Bid);
