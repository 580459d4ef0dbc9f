namespace Serval.Cli;

/// <summary>A failure the user can act on: its message is the one line the CLI prints before exiting 1.</summary>
internal sealed class CliException(string message) : Exception(message);
