using Serval.Core.Dispatching;

namespace Serval.Core.Tests.Dispatching;

/// <summary>
/// Instances written as tokens, so each table row reads as the pool it describes: <c>P1</c> is
/// provisioned with one in flight, <c>O3</c> on-demand with three, a leading <c>x</c> one not serving
/// (starting, draining, or with a broken connection), <c>@5</c> last used at minute 5 (default 0).
/// "P0@2 O1 xO0@7": provisioned idle since 0:02, on-demand busy, on-demand broken idle since 0:07.
/// </summary>
internal static class Views
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static InstanceView[] Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(One).ToArray();
    }

    public static DateTimeOffset At(double minutes) => Start + TimeSpan.FromMinutes(minutes);

    private static InstanceView One(string token)
    {
        bool serving = !token.StartsWith('x');
        string rest = serving ? token : token[1..];
        bool provisioned = rest[0] switch
        {
            'P' => true,
            'O' => false,
            _ => throw new FormatException($"'{token}': P or O"),
        };
        string[] parts = rest[1..].Split('@');
        double minute = parts.Length > 1 ? double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new InstanceView(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), provisioned, serving, At(minute));
    }
}
