using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Serval.Cli.Commands;
using Serval.Cli.Output;

namespace Serval.Cli;

/// <summary>The <c>serval</c> command.</summary>
public static class Program
{
    /// <summary>Runs the CLI on the process's console.</summary>
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>
    /// Runs one command line, writing results to <paramref name="output"/> and failures to
    /// <paramref name="error"/>. Returns the exit code: 0 on success, non-zero with one line on
    /// <paramref name="error"/> otherwise.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var host = new CliHost(Consoles.Create(output), error, TimeProvider.System);
        var root = new RootCommand("Deploy AI functions to a Serval platform and call them.")
        {
            host.UrlOption,
            host.KeyOption,
            UpCommand.Create(),
            DeployCommand.Create(host),
            InvokeCommand.Create(host),
            LsCommand.Create(host),
            VersionsCommand.Create(host),
            ReleaseCommand.Create(host),
            ReleaseCommand.Promote(host),
            ReleaseCommand.Rollback(host),
            InstancesCommand.Create(host),
            LogsCommand.Create(host),
            CostCommand.Create(host),
            SimulateCommand.Create(host),
            JobsCommand.Create(host),
            JobCommand.Create(host),
            RmCommand.Create(host),
            KeysCommand.Create(host),
            AuditCommand.Create(host),
            EvalOcrCommand.Create(host),
        };
        root.HelpName = "serval";
        root.SetAction(parse =>
        {
            // "serval" alone: the commands, and a failure, as no command ran.
            new HelpAction().Invoke(parse);
            return 1;
        });

        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction onError)
        {
            // One line per problem; the full help is one --help away.
            onError.ShowHelp = false;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (CliException e)
        {
            error.WriteLine(e.Message);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine(e.Message);
        }
        catch (Exception e)
        {
            error.WriteLine($"unexpected error: {e.GetType().Name}: {e.Message}");
        }

        return 1;
    }
}
