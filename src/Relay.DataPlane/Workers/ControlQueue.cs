using Relay.DataPlane.Sockets;

namespace Relay.DataPlane.Workers;

/// <summary>
/// The bounded queue from one worker to the control loop: L2TP control messages and PPP control
/// frames, copied into slots allocated at start-up. Single producer (the worker), single consumer
/// (the control loop); lock-free, allocation-free. A full queue refuses the datagram (the worker
/// counts it as <see cref="DropReason.ControlQueueFull"/>; the peer retransmits), never blocks.
/// </summary>
public sealed class ControlQueue
{
    private readonly byte[] _buffer;
    private readonly int[] _lengths;
    private readonly UdpPeer[] _sources;
    private readonly int _slotLength;
    private readonly int _mask;

    // Monotonic positions: _head is written by the consumer only, _tail by the producer only.
    private long _head;
    private long _tail;

    /// <param name="capacity">Datagrams the queue holds (rounded up to a power of two).</param>
    /// <param name="slotLength">Longest datagram a slot holds; longer ones are refused.</param>
    public ControlQueue(int capacity, int slotLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotLength, 16);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _buffer = new byte[size * slotLength];
        _lengths = new int[size];
        _sources = new UdpPeer[size];
        _slotLength = slotLength;
        _mask = size - 1;
    }

    public int Capacity => _mask + 1;

    /// <summary>Datagrams waiting (approximate while the producer runs).</summary>
    public int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    /// <summary>Producer: copies <paramref name="datagram"/> in; false when the queue is full or the datagram too long.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram, in UdpPeer source)
    {
        var tail = _tail;
        if (tail - Volatile.Read(ref _head) > _mask || datagram.Length > _slotLength)
        {
            return false;
        }
        var index = (int)(tail & _mask);
        datagram.CopyTo(_buffer.AsSpan(index * _slotLength, _slotLength));
        _lengths[index] = datagram.Length;
        _sources[index] = source;
        // Release: the slot's bytes are visible before the consumer sees the new tail.
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Consumer: the oldest datagram, valid until <see cref="Advance"/>; false when empty.</summary>
    public bool TryPeek(out UdpPeer source, out ReadOnlySpan<byte> datagram)
    {
        var head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            source = default;
            datagram = default;
            return false;
        }
        var index = (int)(head & _mask);
        source = _sources[index];
        datagram = _buffer.AsSpan(index * _slotLength, _lengths[index]);
        return true;
    }

    /// <summary>Consumer: releases the datagram <see cref="TryPeek"/> returned.</summary>
    public void Advance() => Volatile.Write(ref _head, _head + 1);
}
