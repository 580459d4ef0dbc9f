using Serval.Core.Specs;
using Serval.Server.Functions;

namespace Serval.Server.Plans;

/// <summary>
/// What a deploy checks of a plan against what is deployed: each step's function exists (and its
/// version), is a function with code rather than a model or another plan; and what it warns about.
/// Also the routes any spec declares, against the routes other functions own.
/// </summary>
public static class PlanCheck
{
    /// <summary>Errors (refuse the deploy) and warnings (deploy, and say so) for <paramref name="spec"/>.</summary>
    public static (IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) Check(FunctionSpec spec, FunctionCatalog catalog, bool nodesHaveGpu)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        foreach (PlanStep step in spec.Plan?.Steps ?? [])
        {
            string where = $"plan '{spec.Name}' step '{step.Name}'";
            if (step.Function == spec.Name)
            {
                errors.Add($"{where} calls the plan itself");
                continue;
            }

            if (catalog.Resolve(step.Function, step.Version) is not { } target)
            {
                errors.Add(catalog.Functions.TryGetValue(step.Function, out DeployedFunction? known)
                    ? $"{where}: function '{step.Function}' has no version '{step.Version}' (versions: {string.Join(", ", known.Versions.Select(v => v.Version))}; aliases: {string.Join(", ", known.Aliases.Keys)})"
                    : $"{where}: function '{step.Function}' is not deployed; deploy it before the plan{Known(catalog)}");
                continue;
            }

            if (target.Spec.Runtime == RuntimeKind.Plan)
            {
                errors.Add($"{where}: '{step.Function}' is a plan; a step calls a function (put its steps in this plan)");
            }
            else if (target.Spec.Runtime == RuntimeKind.Onnx)
            {
                errors.Add($"{where}: '{step.Function}' is an onnx model, which answers tensors; a step calls a dotnet function, which can load the model through 'models'");
            }

            if (step.Runs == StepTarget.Gpu && !nodesHaveGpu)
            {
                warnings.Add($"{where} asks to run on a GPU; no node has one, so it runs on the CPU");
            }
            else if (step.Runs == StepTarget.Gpu && target.Spec.Resources.Gpu <= 0)
            {
                // Where a step runs is where its function's instances run, and those reserve what the
                // function's resources ask. A warning, not a refusal: the same plan deploys on CPU-only
                // platforms, and the function's template is where the GPU is asked for.
                warnings.Add($"{where} asks to run on a GPU, but '{step.Function}' asks for none, so it runs on the CPU: add resources: {{ gpu: 1 }} (or a share, 0.5) to its serval.yaml");
            }
        }

        foreach (RouteSpec route in spec.Routes)
        {
            foreach (var (name, function) in catalog.Functions)
            {
                if (name != spec.Name && function.Latest.Spec.Routes.Contains(route))
                {
                    errors.Add($"the route tid '{route.Tid}'{(route.Bid is null ? "" : $", bid '{route.Bid}'")} is already served by '{name}': remove it there first, or choose another bid");
                }
            }
        }

        return (errors, warnings);
    }

    private static string Known(FunctionCatalog catalog) =>
        catalog.Functions.Count == 0 ? " (none is deployed)" : $" (deployed: {string.Join(", ", catalog.Functions.Keys.Order(StringComparer.Ordinal))})";
}
