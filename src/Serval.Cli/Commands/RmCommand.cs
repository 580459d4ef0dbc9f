using System.CommandLine;
using Serval.Cli.Api;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary><c>rm NAME</c>: stops a function's instances and removes it (DELETE /v1/functions/NAME).</summary>
internal static class RmCommand
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "the function" };
        var command = new Command("rm", "remove a function, its versions and instances") { name };
        command.SetAction(async (parse, ct) =>
        {
            string fn = parse.GetValue(name)!;
            using var client = host.Connect(parse);
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"v1/functions/{ServalClient.Segment(fn)}"), ct);
            if (ServalClient.IsNotFound(response))
            {
                throw new CliException($"no function named {fn}");
            }

            await ServalClient.EnsureSuccessAsync(response, ct);
            host.Console.MarkupLine($"removed {Markup.Escape(fn)}");
            return 0;
        });
        return command;
    }
}
