namespace Serval.Core.Security;

/// <summary>
/// What a key may do. <see cref="Admin"/> covers everything (every scope, every function, keys and
/// the audit log); <see cref="Deploy"/> and <see cref="Invoke"/> are separate grants (a key that
/// deploys and calls carries both), each limited to the key's functions.
/// </summary>
[Flags]
public enum Scope
{
    /// <summary>Nothing (open endpoints: health).</summary>
    None = 0,

    /// <summary>Call functions: <c>/fn</c>, OIP infer and metadata, async submit and status.</summary>
    Invoke = 1,

    /// <summary>Change and read the control plane: deploy, delete, versions, instances, scaling.</summary>
    Deploy = 2,

    /// <summary>Everything, plus keys and the audit log.</summary>
    Admin = 4,
}

/// <summary>Scopes as text: <c>invoke</c>, <c>deploy</c>, <c>admin</c>, comma-separated.</summary>
public static class Scopes
{
    /// <summary>The names, for hints.</summary>
    public const string Names = "admin, deploy, invoke";

    /// <summary>Parses one scope name; null when it is none of <see cref="Names"/>.</summary>
    public static Scope? ParseOne(string text) => text.Trim().ToLowerInvariant() switch
    {
        "invoke" => Scope.Invoke,
        "deploy" => Scope.Deploy,
        "admin" => Scope.Admin,
        _ => null,
    };

    /// <summary><c>admin,deploy,invoke</c> order, lower case.</summary>
    public static IReadOnlyList<string> Format(Scope scopes)
    {
        var names = new List<string>(3);
        if (scopes.HasFlag(Scope.Admin))
        {
            names.Add("admin");
        }

        if (scopes.HasFlag(Scope.Deploy))
        {
            names.Add("deploy");
        }

        if (scopes.HasFlag(Scope.Invoke))
        {
            names.Add("invoke");
        }

        return names;
    }

    /// <summary>The name of one scope (<c>Scope.Deploy</c> → <c>deploy</c>).</summary>
    public static string Name(Scope scope) => string.Join(",", Format(scope));
}
