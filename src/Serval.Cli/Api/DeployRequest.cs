using System.Net.Http.Headers;
using System.Text;
using Serval.Cli.Packaging;

namespace Serval.Cli.Api;

/// <summary>
/// The body of <c>POST /v1/functions</c>: <c>multipart/form-data</c> with the part <c>spec</c> (the
/// template's text) and one part <c>file</c> per package file, its filename the package path.
/// Files are streamed from disk, not read into memory.
/// </summary>
internal static class DeployRequest
{
    public static MultipartFormDataContent Build(string specText, IReadOnlyList<PackageFile> files)
    {
        var content = new MultipartFormDataContent();
        var spec = new StringContent(specText, Encoding.UTF8, "application/yaml");
        spec.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"spec\"" };
        content.Add(spec);
        foreach (var file in files)
        {
            var part = new StreamContent(new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            part.Headers.ContentDisposition = Disposition(file.RelativePath);
            content.Add(part);
        }

        return content;
    }

    // filename="models/rec.onnx"; a name outside ASCII also goes in filename* (RFC 5987), which servers prefer.
    private static ContentDispositionHeaderValue Disposition(string path)
    {
        var disposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"" };
        if (Ascii.IsValid(path) && !path.Contains('"') && !path.Contains('\\'))
        {
            disposition.FileName = "\"" + path + "\"";
        }
        else
        {
            disposition.FileNameStar = path;
        }

        return disposition;
    }
}
