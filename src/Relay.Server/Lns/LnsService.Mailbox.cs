using System.Collections.Concurrent;
using Relay.Control.Sessions;

namespace Relay.Server.Lns;

/// <summary>
/// The control API's way into the control loop: a bounded queue of work items that the loop runs
/// on its own thread between two batches (so protocol state is never touched by two threads and no
/// lock reaches into the engines), each answered through a <see cref="TaskCompletionSource{T}"/>.
/// Posting wakes the loop through the socket's eventfd.
/// </summary>
internal sealed partial class LnsService
{
    /// <summary>Requests waiting at most; more are refused at once (the API answers 503) rather than queued without bound.</summary>
    public const int MailboxCapacity = 256;

    private readonly ConcurrentQueue<MailboxItem> _mailbox = new();
    private int _mailboxCount;

    /// <summary>Per-packet data-plane worker threads.</summary>
    public int Workers => _pool.Workers.Count;

    /// <summary>Data-plane drops for <paramref name="reason"/>, summed over the workers.</summary>
    public long DataDrops(Relay.DataPlane.DropReason reason) => _pool.Drops(reason);

    public long SocketTruncated
    {
        get
        {
            long total = 0;
            foreach (var worker in _pool.Workers)
            {
                total += worker.Socket.TruncatedDropped;
            }
            return total;
        }
    }

    public long SocketSendErrors
    {
        get
        {
            var total = _sender.SendErrors;
            foreach (var worker in _pool.Workers)
            {
                total += worker.Socket.SendErrors;
            }
            return total;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the control loop with the loop's clock and returns its result.
    /// Fails with <see cref="MailboxUnavailableException"/> when relayd is stopping or the queue is full.
    /// </summary>
    public Task<T> InvokeAsync<T>(Func<LnsController, TimeSpan, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_stopRequested)
        {
            return Task.FromException<T>(new MailboxUnavailableException("relayd is shutting down"));
        }
        if (Interlocked.Increment(ref _mailboxCount) > MailboxCapacity)
        {
            Interlocked.Decrement(ref _mailboxCount);
            return Task.FromException<T>(new MailboxUnavailableException($"the control loop has {MailboxCapacity} requests waiting; try again"));
        }
        var item = new MailboxItem<T>(work);
        _mailbox.Enqueue(item);
        _pool.WakeControl();
        return item.Completion.Task;
    }

    /// <summary>Runs every waiting request; called by the control loop once per turn, after the batch.</summary>
    private void DrainMailbox()
    {
        while (_mailbox.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _mailboxCount);
            if (_stopRequested)
            {
                item.Fail(new MailboxUnavailableException("relayd is shutting down"));
                continue;
            }
            item.Run(_controller, Now);
        }
    }

    private abstract class MailboxItem
    {
        public abstract void Run(LnsController controller, TimeSpan now);

        public abstract void Fail(Exception exception);
    }

    private sealed class MailboxItem<T>(Func<LnsController, TimeSpan, T> work) : MailboxItem
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(LnsController controller, TimeSpan now)
        {
            try
            {
                Completion.SetResult(work(controller, now));
            }
#pragma warning disable CA1031 // a failing request must not take the control loop down: the API reports it as a 500
            catch (Exception e)
#pragma warning restore CA1031
            {
                Completion.SetException(e);
            }
        }

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
