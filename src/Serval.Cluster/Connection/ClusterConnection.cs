using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using NATS.Client.ObjectStore;
using NATS.Net;

namespace Serval.Cluster.Connection;

/// <summary>
/// One connection to the cluster's NATS servers (any of them; the client fails over between the
/// URLs) and the JetStream contexts over it.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private ClusterConnection(NatsConnection nats, string urls)
    {
        Nats = nats;
        Urls = urls;
        JetStream = nats.CreateJetStreamContext();
        KeyValue = nats.CreateKeyValueStoreContext();
        Objects = nats.CreateObjectStoreContext();
    }

    /// <summary>The URLs given.</summary>
    public string Urls { get; }

    /// <summary>The connection.</summary>
    public NatsConnection Nats { get; }

    /// <summary>Streams and consumers.</summary>
    public INatsJSContext JetStream { get; }

    /// <summary>Key-value buckets.</summary>
    public INatsKVContext KeyValue { get; }

    /// <summary>Object stores.</summary>
    public INatsObjContext Objects { get; }

    /// <summary>
    /// Connects to <paramref name="urls"/> (<c>nats://h1:4222,nats://h2:4222</c>), as
    /// <paramref name="name"/>; a server that does not answer within <paramref name="timeout"/>, or
    /// refuses the credentials, is a <see cref="ClusterException"/> naming the URLs and the reason.
    /// </summary>
    public static async Task<ClusterConnection> ConnectAsync(string urls, string name, TimeSpan timeout, NatsAuthOpts? auth = null, CancellationToken cancellationToken = default)
    {
        foreach (string url in urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("nats" or "tls"))
            {
                throw new ClusterException($"--nats: '{url}' is not a nats:// URL (e.g. nats://127.0.0.1:4222)");
            }
        }

        var nats = new NatsConnection(new NatsOpts
        {
            Url = urls,
            Name = name,
            ConnectTimeout = timeout,
            AuthOpts = auth ?? NatsAuthOpts.Default,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(1),
        });
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout + TimeSpan.FromSeconds(1));
            await nats.ConnectAsync().AsTask().WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            await nats.DisposeAsync().ConfigureAwait(false);
            string why = e.InnerException?.Message ?? e.Message;
            throw new ClusterException(
                why.Contains("authorization", StringComparison.OrdinalIgnoreCase)
                    ? $"the NATS servers at {urls} refused the credentials: {why}"
                    : $"the NATS servers at {urls} do not answer within {timeout.TotalSeconds:0.#} s: {why}",
                e);
        }

        return new ClusterConnection(nats, urls);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Nats.DisposeAsync();
}
