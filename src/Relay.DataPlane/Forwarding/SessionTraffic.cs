using System.Runtime.CompilerServices;

namespace Relay.DataPlane.Forwarding;

/// <summary>
/// What moves on one session: per-worker packet, byte and drop counts, and the next Ns the
/// session's peer expects when it asked for data sequencing. Each worker writes only its own
/// 64-octet slot (no lock, no interlocked add, no false sharing); readers sum the slots. Ns is
/// taken with one interlocked increment because any worker may forward into the session. One
/// instance outlives the <see cref="ForwardingEntry"/> objects a session goes through.
/// </summary>
public sealed class SessionTraffic
{
    // Per worker: received packets, received bytes, sent packets, sent bytes, drops, Ns gaps, padding.
    private const int Stride = 8;
    private const int RxPackets = 0, RxBytes = 1, TxPackets = 2, TxBytes = 3, Drops = 4, Gaps = 5;

    private readonly long[] _slots;
    private int _nextNs;

    // The Ns the peer's next data message should carry, or -1 before the first one. Written by
    // the worker that receives the tunnel (SO_REUSEPORT keeps a tunnel's 4-tuple on one worker).
    private int _expectedNs = -1;

    public SessionTraffic(int workers, ushort nextNs = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _slots = new long[(workers + 1) * Stride];
        _nextNs = nextNs;
    }

    public int Workers => _slots.Length / Stride - 1;

    public long ReceivedPackets => Sum(RxPackets);

    public long ReceivedBytes => Sum(RxBytes);

    public long SentPackets => Sum(TxPackets);

    public long SentBytes => Sum(TxBytes);

    public long DroppedPackets => Sum(Drops);

    /// <summary>Sequenced data messages that arrived with an Ns beyond the expected one (lost or reordered before).</summary>
    public long SequenceGaps => Sum(Gaps);

    /// <summary>The Ns the next data message to this session's peer carries (RFC 2661 §5.4).</summary>
    public ushort PeekNs => (ushort)Volatile.Read(ref _nextNs);

    /// <summary>
    /// Takes the next Ns. The control loop must take its data-message Ns (LCP echo and the like)
    /// here too once the session is published, so that both planes share one sequence.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort TakeNs() => (ushort)(Interlocked.Increment(ref _nextNs) - 1);

    /// <summary>
    /// Checks a received data message's Ns (RFC 2661 §3.1, §5.4): the expected one or a later one
    /// is accepted (a jump counts as a gap and the sequence resynchronises on it); an earlier one
    /// (a duplicate or a straggler overtaken by later messages) is refused. Serial arithmetic
    /// modulo 2^16, as for the control channel (§5.8).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool AcceptNs(int worker, ushort ns)
    {
        var expected = _expectedNs;
        if (expected >= 0)
        {
            var distance = (short)(ns - (ushort)expected);
            if (distance < 0)
            {
                return false;
            }
            if (distance > 0)
            {
                Unsafe.Add(ref Slot(worker), Gaps)++;
            }
        }
        _expectedNs = (ushort)(ns + 1);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CountReceived(int worker, int bytes)
    {
        ref var slot = ref Slot(worker);
        Unsafe.Add(ref slot, RxPackets)++;
        Unsafe.Add(ref slot, RxBytes) += bytes;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CountSent(int worker, int bytes)
    {
        ref var slot = ref Slot(worker);
        Unsafe.Add(ref slot, TxPackets)++;
        Unsafe.Add(ref slot, TxBytes) += bytes;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CountDrop(int worker) => Unsafe.Add(ref Slot(worker), Drops)++;

    /// <summary>
    /// Adds what the kernel fast path did for this session since the last fold (Bpf.FastPath.Fold).
    /// Slot 0 holds these: one writer, the control loop, a few times a second.
    /// </summary>
    internal void AddFastPath(long receivedPackets, long receivedBytes, long sentPackets, long sentBytes, long drops)
    {
        Volatile.Write(ref _slots[RxPackets], _slots[RxPackets] + receivedPackets);
        Volatile.Write(ref _slots[RxBytes], _slots[RxBytes] + receivedBytes);
        Volatile.Write(ref _slots[TxPackets], _slots[TxPackets] + sentPackets);
        Volatile.Write(ref _slots[TxBytes], _slots[TxBytes] + sentBytes);
        Volatile.Write(ref _slots[Drops], _slots[Drops] + drops);
    }

    // Slot 0 keeps worker 0 off the array header's cache line; it holds the fast path's counts (AddFastPath).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref long Slot(int worker) => ref _slots[(worker + 1) * Stride];

    private long Sum(int field)
    {
        long total = 0;
        for (var i = field; i < _slots.Length; i += Stride)
        {
            total += Volatile.Read(ref _slots[i]);
        }
        return total;
    }
}
