using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.Node.Packages;
using Serval.Server.Functions;
using Serval.Server.Plans;
using Serval.Server.Storage;

namespace Serval.Server.Deployment;

/// <summary>
/// Turns an upload into an immutable version: validate the spec and its files, store the blobs, prove
/// the package loads in a throw-away instance, then record the version, move <c>latest</c>, and hand
/// the serving alias to the <see cref="Releases.ReleaseController"/>. Any failure leaves what was deployed before untouched (blobs are content-addressed, so a stored blob
/// of a refused deploy is harmless).
/// </summary>
public sealed class Deployer(FunctionCatalog catalog, BlobStore blobs, PackageCache packages, InstanceSupervisor supervisor, InstanceConfigFactory configs, Releases.ReleaseController releases, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Deploys <paramref name="specText"/> with <paramref name="files"/>.</summary>
    public async Task<DeployResult> DeployAsync(string specText, IReadOnlyList<UploadedFile> files, CancellationToken cancellationToken)
    {
        SpecParseResult parsed = SpecParser.Parse(specText, "serval.yaml");
        if (parsed.Spec is not { } spec)
        {
            return Refused(parsed.Errors.Select(e => e.ToString()).ToList());
        }

        if (CheckDestinations(spec) is { Count: > 0 } destinationErrors)
        {
            return Refused(destinationErrors);
        }

        // Upload paths follow the same rules, and the same normalisation, as the paths the spec names.
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var normalized = new List<UploadedFile>(files.Count);
        foreach (UploadedFile file in files)
        {
            if (PackagePaths.Check(file.Path, out string path) is { } problem)
            {
                return DeployResult.Refused($"file '{file.Path}': {problem}");
            }

            if (!paths.Add(path))
            {
                return DeployResult.Refused($"file '{path}' is uploaded twice");
            }

            normalized.Add(file with { Path = path });
        }

        var missing = SpecFiles.Check(spec, "serval.yaml", paths.Contains, paths.Order(StringComparer.Ordinal).ToList());
        if (missing.Count > 0)
        {
            return Refused(missing.Select(e => e.ToString()).ToList());
        }

        if (spec.Resources.Gpu > supervisor.Capacity.Gpus)
        {
            // Its instances could never start: they reserve the GPUs they ask for (NodeCapacity).
            return DeployResult.Refused(supervisor.Capacity.Gpus == 0
                ? $"resources.gpu: {spec.Resources.Gpu:0.##} asked, but no node has a GPU; remove resources.gpu to run on the CPU"
                : $"resources.gpu: {spec.Resources.Gpu:0.##} asked, but a node has at most {supervisor.Capacity.Gpus:0.##}");
        }

        var (planErrors, warnings) = PlanCheck.Check(spec, catalog, nodesHaveGpu: supervisor.Capacity.Gpus > 0);
        if (planErrors.Count > 0)
        {
            return Refused(planErrors);
        }

        var stored = new List<PackageFile>(files.Count);
        foreach (UploadedFile file in normalized.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            await using Stream content = file.Open();
            var (digest, size) = await blobs.PutAsync(content, cancellationToken).ConfigureAwait(false);
            stored.Add(new PackageFile(file.Path, digest, size));
        }

        string versionDigest = Digest(specText, stored);
        if (catalog.Functions.GetValueOrDefault(spec.Name) is { } existing && existing.Latest.Record.Digest == versionDigest)
        {
            return new DeployResult(existing.Latest, Created: false, null, []) { Warnings = warnings };
        }

        if (spec.Runtime == RuntimeKind.Plan)
        {
            // A plan runs no code of its own: nothing to load in a throw-away instance.
            return await RecordAsync(spec, specText, versionDigest, stored, new ReadyReport(), warnings, cancellationToken).ConfigureAwait(false);
        }

        ReadyReport report;
        string checkName = $"check-{Guid.NewGuid():N}"[..14];
        try
        {
            string packageDir = packages.Materialize(checkName, 1, stored);
            InstanceConfig config = configs.Create(spec, 0, checkName, packageDir);
            report = await supervisor.CheckAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (InstanceStartException e)
        {
            return DeployResult.Refused($"{spec.Name}: the package does not load: {e.Message}");
        }
        finally
        {
            packages.Remove(checkName);
        }

        return await RecordAsync(spec, specText, versionDigest, stored, report, warnings, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeployResult> RecordAsync(FunctionSpec spec, string specText, string versionDigest, List<PackageFile> stored, ReadyReport report, IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        string metadata = JsonSerializer.Serialize(report, Json);
        await catalog.ChangeAsync(store => store.AddVersionAsync(spec.Name, versionDigest, specText, stored, metadata, time.GetUtcNow(), cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        // Recorded as latest; the serving alias moves now: at once once its instances are ready, or by a release.
        DeployedVersion deployed = catalog.Functions[spec.Name].Latest;
        Releases.ReleaseRecord? release = await releases.DeployedAsync(deployed, CancellationToken.None).ConfigureAwait(false);
        return new DeployResult(deployed, Created: true, null, []) { Warnings = warnings, Release = release };
    }

    /// <summary>
    /// A function destination must be deployed already, and read JSON: a model cannot. Named as
    /// spec errors, at the key's line. (A function deleted later makes its deliveries fail, with why.)
    /// </summary>
    private List<string> CheckDestinations(FunctionSpec spec)
    {
        var errors = new List<string>();
        var functions = catalog.Functions;
        foreach (var (field, destination) in spec.Async.Destinations())
        {
            if (destination.Kind != DestinationKind.Function)
            {
                continue;
            }

            int line = spec.Lines.GetValueOrDefault(field, 1), column = spec.Columns.GetValueOrDefault(field, 1);
            if (!functions.TryGetValue(destination.Target, out DeployedFunction? target))
            {
                string? near = EditDistance.Nearest(destination.Target, functions.Keys);
                errors.Add(new SpecError("serval.yaml", line, column, field, $"no function named '{destination.Target}' is deployed",
                    near is not null ? $"did you mean '{near}'?" : "deploy the destination function first").ToString());
            }
            else if (target.Latest.Spec.Runtime == RuntimeKind.Onnx)
            {
                errors.Add(new SpecError("serval.yaml", line, column, field, $"'{destination.Target}' is an onnx function: a destination receives a JSON record, which a model cannot read",
                    "send the record to a dotnet function or a webhook URL").ToString());
            }
        }

        return errors;
    }

    private static DeployResult Refused(IReadOnlyList<string> errors) =>
        DeployResult.Refused(string.Join("; ", errors), errors);

    /// <summary>sha256 over the spec text and the package's file list (<see cref="PackageFile.ListText"/>).</summary>
    private static string Digest(string specText, IReadOnlyList<PackageFile> files) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(specText + "\n" + PackageFile.ListText(files))));
}
