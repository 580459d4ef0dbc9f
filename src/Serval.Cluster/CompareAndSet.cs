using NATS.Client.Core;
using NATS.Client.KeyValueStore;

namespace Serval.Cluster;

/// <summary>
/// Compare-and-set on a key-value bucket that holds on nats-server 2.9.10. There, the expected
/// revision of an update is checked before the write is proposed to the stream's RAFT group, not as
/// part of it (nats-server#4320, fixed in 2.9.21), so two concurrent updates expecting the same
/// revision can both be acknowledged, as a test here shows. The writes are still ordered, so the
/// rule is: of the writes that expected revision <c>r</c>, the first one after <c>r</c> won. A writer
/// reads the key's history after its acknowledgement and keeps its write only if it is that first
/// one; the bucket keeps <see cref="History"/> values per key so the history is there to read.
/// </summary>
public static class CompareAndSet
{
    /// <summary>Values a bucket written through this class keeps per key.</summary>
    public const int History = 16;

    /// <summary>
    /// Writes <paramref name="value"/> at <paramref name="key"/> if its revision is still
    /// <paramref name="expected"/> (0: the key does not exist yet); returns the new revision, or
    /// null when another writer was first.
    /// </summary>
    public static async Task<ulong?> WriteAsync(INatsKVStore bucket, string key, byte[] value, ulong expected, CancellationToken cancellationToken)
    {
        NatsResult<ulong> written = expected == 0
            ? await bucket.TryCreateAsync(key, value, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await bucket.TryUpdateAsync(key, value, expected, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!written.Success)
        {
            return null;
        }

        // The history is read from the stream; a replica may not show the acknowledged write yet,
        // so it is read again (a few times, not forever) until it does.
        ulong? first = null;
        for (int read = 0; read < 10; read++)
        {
            first = null;
            bool sawOwn = false;
            await foreach (NatsKVEntry<byte[]> entry in bucket.HistoryAsync<byte[]>(key, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (entry.Revision > expected && (first is null || entry.Revision < first))
                {
                    first = entry.Revision;
                }

                if (entry.Revision >= written.Value)
                {
                    sawOwn = true;
                    break;
                }
            }

            if (sawOwn)
            {
                break;
            }
        }

        return first == written.Value ? written.Value : null;
    }
}
