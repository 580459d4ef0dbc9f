using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Serval.Cli.Tests.Support;

/// <summary>One part of a multipart/form-data body.</summary>
internal sealed record Part(string Name, string? FileName, byte[] Body);

/// <summary>Reads multipart bodies with ASP.NET Core's parser, as the platform will.</summary>
internal static class Multipart
{
    public static async Task<List<Part>> ReadAsync(ReceivedRequest request)
    {
        var type = MediaTypeHeaderValue.Parse(request.ContentType);
        Assert.Equal("multipart/form-data", type.MediaType.Value);
        string boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(request.Body));
        var parts = new List<Part>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            using var body = new MemoryStream();
            await section.Body.CopyToAsync(body);
            string? fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value
                : disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value
                : null;
            parts.Add(new Part(HeaderUtilities.RemoveQuotes(disposition.Name).Value!, fileName, body.ToArray()));
        }

        return parts;
    }
}
