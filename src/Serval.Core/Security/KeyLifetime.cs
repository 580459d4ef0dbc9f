using System.Globalization;
using Serval.Core.Specs;

namespace Serval.Core.Security;

/// <summary>How long a key lives: <c>30d</c>, <c>12h</c>, <c>90m</c>, or any <see cref="SpecUnits"/> duration.</summary>
public static class KeyLifetime
{
    /// <summary>What a lifetime looks like, for hints.</summary>
    public const string Examples = "30d, 12h, 90m or 3600s";

    /// <summary>Parses <paramref name="text"/>; false when it is not a positive duration.</summary>
    public static bool TryParse(string text, out TimeSpan lifetime)
    {
        text = text.Trim();
        lifetime = TimeSpan.Zero;
        if (text.EndsWith('d') && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double days))
        {
            if (days <= 0 || days > 36500)
            {
                return false;
            }

            lifetime = TimeSpan.FromDays(days);
            return true;
        }

        return SpecUnits.TryParseDuration(text, out lifetime) && lifetime > TimeSpan.Zero;
    }
}
