using Spectre.Console;

namespace Serval.Cli.Output;

/// <summary>Creates the Spectre console the CLI writes tables and progress to.</summary>
internal static class Consoles
{
    /// <summary>
    /// A console over <paramref name="writer"/>: colours, spinners and progress bars only when it is
    /// the terminal; otherwise plain text, wide enough that tables do not wrap in a pipe or a test.
    /// </summary>
    public static IAnsiConsole Create(TextWriter writer)
    {
        bool terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    /// <summary>True when live displays (spinners, progress bars) can redraw in place.</summary>
    public static bool IsLive(this IAnsiConsole console) =>
        console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
}
