using System.Collections.Concurrent;
using Serval.Core.Security;

namespace Serval.Server.Security;

/// <summary>
/// The keys, held in memory for the request path (a dictionary by id; the store is read once at
/// start and written on every change) and their creation, removal and authentication.
/// </summary>
public sealed class Keys
{
    /// <summary>The file the first admin key is written to, in the data folder.</summary>
    public const string AdminKeyFile = "admin.key";

    private readonly KeyStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (ApiKey Key, byte[] Hash)> _keys = new(StringComparer.Ordinal);

    /// <summary>Loads the keys of <paramref name="store"/>.</summary>
    public Keys(KeyStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        foreach (var entry in store.LoadAll())
        {
            _keys[entry.Key.Id] = entry;
        }
    }

    /// <summary>Every key, oldest first.</summary>
    public IReadOnlyList<ApiKey> All => [.. _keys.Values.Select(e => e.Key).OrderBy(k => k.Created).ThenBy(k => k.Id, StringComparer.Ordinal)];

    /// <summary>The key with <paramref name="id"/>, or null.</summary>
    public ApiKey? Find(string id) => _keys.TryGetValue(id, out var entry) ? entry.Key : null;

    /// <summary>Makes a key; returns its record and its text (shown once, never stored).</summary>
    public (ApiKey Key, string Text) Create(string label, Scope scopes, IReadOnlyList<FunctionPattern> functions, TimeSpan? lifetime, KeyQuota quota)
    {
        var (id, text, hash) = KeySecret.Create();
        DateTimeOffset now = _time.GetUtcNow();
        var key = new ApiKey(id, label, scopes, functions, now, lifetime is { } l ? now + l : null, quota);
        _store.Insert(key, hash);
        _keys[id] = (key, hash);
        return (key, text);
    }

    /// <summary>Removes a key at once (calls with it answer 401 from now on); false when there was none.</summary>
    public bool Delete(string id)
    {
        bool removed = _store.Delete(id);
        return _keys.TryRemove(id, out _) || removed;
    }

    /// <summary>
    /// The key whose text <paramref name="text"/> is, or the 401 message: not shaped like a key, no
    /// key with its id, or a hash that does not match (constant-time compare). Expiry is the policy's.
    /// </summary>
    public (ApiKey? Key, string? Error) Authenticate(string text)
    {
        if (KeySecret.IdOf(text) is not { } id)
        {
            return (null, $"the bearer token is not a Serval key (keys look like {KeySecret.Prefix}<id>_<secret>)");
        }

        if (!_keys.TryGetValue(id, out var entry) || !KeySecret.Verify(text, entry.Hash))
        {
            return (null, "the key is not valid: it was removed, or mistyped");
        }

        return (entry.Key, null);
    }

    /// <summary>
    /// On the first start with auth on (no keys at all): makes an admin key for every function and
    /// writes its text to <c>DATA/admin.key</c>, readable by this user only (0600). Returns its id,
    /// or null when keys already exist.
    /// </summary>
    public string? EnsureAdminKey(string dataDirectory)
    {
        if (!_keys.IsEmpty)
        {
            return null;
        }

        var (key, text) = Create("admin (first start)", Scope.Admin, [FunctionPattern.All], null, KeyQuota.None);
        string path = Path.Combine(dataDirectory, AdminKeyFile);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(text + "\n");
        }

        return key.Id;
    }
}
