using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Serval.Server.Async;

/// <summary>One write to run in the writer's next transaction.</summary>
internal abstract class WriteOp
{
    /// <summary>Runs the write (inside the batch's transaction).</summary>
    public abstract void Execute(SqliteWriter writer);

    /// <summary>Completes the caller's task: called after the transaction committed.</summary>
    public abstract void Succeed();

    /// <summary>Fails the caller's task.</summary>
    public abstract void Fail(Exception error);

    /// <summary>Bytes it writes, roughly (a payload's size): bounds a transaction's size.</summary>
    public virtual long Size => 0;
}

/// <summary>A write with a result.</summary>
internal abstract class WriteOp<T> : WriteOp
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;

    /// <summary>The caller's task.</summary>
    public Task<T> Task => _done.Task;

    /// <inheritdoc/>
    public sealed override void Execute(SqliteWriter writer) => _result = Run(writer);

    /// <inheritdoc/>
    public sealed override void Succeed() => _done.TrySetResult(_result);

    /// <inheritdoc/>
    public sealed override void Fail(Exception error) => _done.TrySetException(error);

    /// <summary>The write itself.</summary>
    protected abstract T Run(SqliteWriter writer);
}

/// <summary>A write given as a function (for the writes that are not on the accept path).</summary>
internal sealed class FuncOp<T>(Func<SqliteWriter, T> run) : WriteOp<T>
{
    protected override T Run(SqliteWriter writer) => run(writer);
}

/// <summary>
/// The only connection that writes, on its own thread, with group commit: it takes every write
/// queued while the last transaction committed, runs them in one transaction (when one write fails,
/// the batch is rolled back and its writes rerun one per transaction, so it fails only its caller)
/// and completes their callers once the commit is done.
/// Under load one fsync covers hundreds of writes; idle, a write commits at once.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    /// <summary>Writes per transaction at most: bounds the time a caller waits behind others.</summary>
    private const int MaxBatch = 512;

    /// <summary>Payload bytes per transaction at most (64 MiB): a burst of large payloads commits in several.</summary>
    private const long MaxBatchBytes = 64L << 20;

    private readonly Channel<WriteOp> _queue = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly SqliteConnection _connection;
    private readonly Thread _thread;

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _thread = new Thread(Loop) { IsBackground = true, Name = "serval-async-writer" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="op"/> for the next transaction.</summary>
    public Task<T> Enqueue<T>(WriteOp<T> op)
    {
        if (!_queue.Writer.TryWrite(op))
        {
            op.Fail(new ObjectDisposedException(nameof(SqliteWriter), "the invocation store is closed"));
        }

        return op.Task;
    }

    /// <summary>Queues a write given as a function.</summary>
    public Task<T> Enqueue<T>(Func<SqliteWriter, T> run) => Enqueue(new FuncOp<T>(run));

    /// <summary>A prepared command for <paramref name="sql"/>, reused across writes, its parameters cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out SqliteCommand? command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        return command;
    }

    private void Loop()
    {
        var batch = new List<WriteOp>(MaxBatch);
        ChannelReader<WriteOp> reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            long bytes = 0;
            while (batch.Count < MaxBatch && bytes < MaxBatchBytes && reader.TryRead(out WriteOp? op))
            {
                batch.Add(op);
                bytes += op.Size;
            }

            Commit(batch);
            batch.Clear();
        }

        foreach (SqliteCommand command in _commands.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    /// <summary>
    /// Runs the batch in one transaction. A write that throws (rare: the writes are built not to)
    /// rolls the transaction back, and then each write runs in a transaction of its own, so only the
    /// failing one fails. No savepoint per write: they would cost two statements on every write.
    /// </summary>
    private void Commit(List<WriteOp> batch)
    {
        if (batch.Count == 1 || !TryCommit(batch, out _))
        {
            foreach (WriteOp op in batch)
            {
                if (!TryCommit([op], out Exception? error))
                {
                    op.Fail(error!);
                }
            }
        }
    }

    /// <summary>Runs <paramref name="ops"/> in one transaction and completes them; false (nothing kept, no caller told) when one threw.</summary>
    private bool TryCommit(List<WriteOp> ops, out Exception? error)
    {
        try
        {
            Exec("BEGIN IMMEDIATE");
            foreach (WriteOp op in ops)
            {
                op.Execute(this);
            }

            Exec("COMMIT");
        }
        catch (Exception e)
        {
            error = e;
            try
            {
                Exec("ROLLBACK");
            }
            catch (SqliteException)
            {
                // No transaction was open (BEGIN failed): nothing to undo.
            }

            return false;
        }

        foreach (WriteOp op in ops)
        {
            op.Succeed();
        }

        error = null;
        return true;
    }

    private void Exec(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>Stops taking writes, lets the queued ones commit, then closes the connection.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(10));
        }
    }
}
