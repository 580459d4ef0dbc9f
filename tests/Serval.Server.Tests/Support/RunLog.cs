namespace Serval.Server.Tests.Support;

/// <summary>
/// The folder the test handlers note their runs in (<c>RUNS_DIR</c>, one file per instance process,
/// one request id per line), and the counts read back from it.
/// </summary>
public sealed class RunLog : IDisposable
{
    /// <summary>The folder.</summary>
    public string Directory { get; } = Serval.TestSupport.Paths.NewTempDir("serval-runs");

    /// <summary>The package file that points a function's handler at it (see the handlers' <c>Runs</c>).</summary>
    public (string Path, byte[] Content) File => ("runs-dir", System.Text.Encoding.UTF8.GetBytes(Directory));

    /// <summary>Runs per request id so far.</summary>
    public Dictionary<string, int> Counts()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string file in System.IO.Directory.GetFiles(Directory, "*.txt"))
        {
            foreach (string line in System.IO.File.ReadAllLines(file))
            {
                if (line.Length > 0)
                {
                    counts[line] = counts.GetValueOrDefault(line) + 1;
                }
            }
        }

        return counts;
    }

    /// <summary>Runs of <paramref name="id"/> so far.</summary>
    public int Of(string id) => Counts().GetValueOrDefault(id);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
