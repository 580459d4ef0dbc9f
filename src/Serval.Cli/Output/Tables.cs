using Spectre.Console;

namespace Serval.Cli.Output;

/// <summary>Tables of plain text: cells are never read as markup, so "[1,3]" stays "[1,3]".</summary>
internal static class Tables
{
    public static Table Create(params string[] columns) => new Table().Border(TableBorder.Simple).AddColumns(columns);

    public static Table AddTextRow(this Table table, params string[] cells) =>
        table.AddRow(cells.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)));
}
