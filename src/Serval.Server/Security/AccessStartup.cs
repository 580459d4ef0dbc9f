namespace Serval.Server.Security;

/// <summary>What the platform says about auth at start, and the first admin key it makes.</summary>
public static partial class AccessStartup
{
    /// <summary>
    /// Auth on: on the first start (no keys yet) writes an admin key to <c>DATA/admin.key</c> (0600)
    /// and logs its id. Auth off: a warning that every caller may do everything.
    /// </summary>
    public static void Announce(WebApplication app, ServalOptions options, string dataDirectory)
    {
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Serval.Server.Security");
        if (!options.AuthEnabled)
        {
            LogAuthOff(logger, options.Host);
            return;
        }

        if (app.Services.GetRequiredService<Keys>().EnsureAdminKey(dataDirectory) is { } id)
        {
            LogAdminKey(logger, id, Path.Combine(dataDirectory, Keys.AdminKeyFile));
        }
        else
        {
            LogAuthOn(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "auth is off on {Host}: every caller may deploy, delete and invoke (--auth on to require keys)")]
    private static partial void LogAuthOff(ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "auth is on: created admin key {Id}, written to {Path} (readable by this user only)")]
    private static partial void LogAdminKey(ILogger logger, string id, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "auth is on: every call but /v2/health/* needs Authorization: Bearer KEY")]
    private static partial void LogAuthOn(ILogger logger);
}
