using System.Security.Cryptography;
using System.Text;

namespace Serval.Server.Security;

/// <summary>
/// The text of an API key: <c>sv_</c>, the 12-hex-character id, <c>_</c>, and 32 random bytes in
/// base64url (256 bits: no guessing, so one SHA-256 suffices and no slow password hash is needed).
/// Only the SHA-256 of the whole text is stored; a presented key is found by its id and its hash
/// compared in constant time.
/// </summary>
public static class KeySecret
{
    /// <summary>What every key starts with (so a key pasted into a log or a repository is recognisable).</summary>
    public const string Prefix = "sv_";

    /// <summary>The length of an id.</summary>
    public const int IdLength = 12;

    /// <summary>A new key: its id, its text (shown once) and the hash to keep.</summary>
    public static (string Id, string Text, byte[] Hash) Create()
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        string text = Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, text, Hash(text));
    }

    /// <summary>The SHA-256 of the key's text.</summary>
    public static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    /// <summary>The id inside <paramref name="text"/>, or null when the text is not shaped like a key.</summary>
    public static string? IdOf(string text) =>
        text.Length > Prefix.Length + IdLength + 1 && text.StartsWith(Prefix, StringComparison.Ordinal) && text[Prefix.Length + IdLength] == '_'
            ? text.Substring(Prefix.Length, IdLength)
            : null;

    /// <summary>True when <paramref name="text"/> hashes to <paramref name="hash"/> (constant time in the hash).</summary>
    public static bool Verify(string text, byte[] hash) => CryptographicOperations.FixedTimeEquals(Hash(text), hash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
