using System.Buffers.Binary;

namespace Relay.Control.L2tp.Transport;

/// <summary>
/// The reliable delivery of one tunnel's control messages (RFC 2661 §5.8, Appendix A), sans I/O:
/// the tunnel hands it whole control messages (header included, Ns/Nr left for it to stamp),
/// received messages with their Ns/Nr, and the time; it says what to put on the wire and what
/// to deliver upward, in order and once. It owns no timer: <see cref="NextDeadline"/> says when
/// <see cref="Poll"/> must run again.
/// </summary>
public sealed partial class ControlChannel
{
    // Control messages always carry Length and Ns/Nr and never an Offset (RFC 2661 §3.1), so
    // Ns and Nr sit at fixed offsets.
    private const int NsOffset = 8;
    private const int NrOffset = 10;
    private const int ZlbLength = 12;

    private readonly ReliableDeliveryOptions _options;
    private readonly Queue<byte[]> _pending = new();
    private readonly List<InFlightMessage> _inFlight = new();
    private readonly byte[]?[] _reorder;
    private readonly Queue<byte[]> _delivered = new();
    private ushort _nextNs;
    private ushort _expectedNs;
    private TimeSpan? _ackDeadline;
    private bool _ackNow;
    private int _congestionWindow = 1;
    private int _slowStartThreshold;
    private int _avoidanceCount;

    public ControlChannel(ReliableDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxRetransmitInterval < ReliableDeliveryOptions.MinimumRetransmitCap)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RFC 2661 §5.8: the retransmission cap must be at least 8 seconds");
        }
        if (options.ReceiveWindow == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RFC 2661 §5.8: a receive window of 0 is invalid");
        }
        _options = options;
        _reorder = new byte[]?[options.ReceiveWindow];
        _slowStartThreshold = PeerReceiveWindow;
    }

    /// <summary>The peer's Receive Window Size (RFC 2661 §4.4.3); 4 until its SCCRQ/SCCRP says otherwise.</summary>
    public ushort PeerReceiveWindow { get; private set; } = 4;

    /// <summary>The tunnel id the peer assigned, written into the ZLB acknowledgements we send.</summary>
    public ushort PeerTunnelId { get; set; }

    /// <summary>Set when a message went unacknowledged through every retransmission: the tunnel must be cleared.</summary>
    public bool Failed { get; private set; }

    /// <summary>Nothing is waiting to be sent or acknowledged.</summary>
    public bool IsIdle => _pending.Count == 0 && _inFlight.Count == 0;

    /// <summary>The Ns the next new message will carry.</summary>
    public ushort NextSequenceNumber => _nextNs;

    /// <summary>Our Nr: the Ns we expect next from the peer.</summary>
    public ushort ExpectedSequenceNumber => _expectedNs;

    public int CongestionWindow => _congestionWindow;

    public int InFlightCount => _inFlight.Count;

    public int QueuedCount => _pending.Count;

    public long Retransmissions { get; private set; }

    public long DuplicatesReceived { get; private set; }

    public long OutOfWindowDropped { get; private set; }

    public long BogusAcknowledgements { get; private set; }

    public long ZeroLengthAcksSent { get; private set; }

    /// <summary>
    /// Sets the peer's advertised window. Slow start begins again against it (Appendix A: SSTHRESH
    /// starts at the advertised window).
    /// </summary>
    public void SetPeerReceiveWindow(ushort window)
    {
        if (window == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window), "RFC 2661 §5.8: a receive window of 0 is invalid");
        }
        PeerReceiveWindow = window;
        _slowStartThreshold = window;
        _congestionWindow = Math.Min(_congestionWindow, window);
    }

    /// <summary>
    /// Queues a whole control message for reliable delivery. Returns false when the queue is
    /// full; the caller treats that as a failed tunnel rather than blocking.
    /// </summary>
    public bool Enqueue(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length < ZlbLength || _pending.Count >= _options.MaxQueuedMessages || Failed)
        {
            return false;
        }
        _pending.Enqueue(message);
        return true;
    }

    /// <summary>Takes the next message delivered in order to the upper layer.</summary>
    public bool TryTakeDelivered(out byte[] message) => _delivered.TryDequeue(out message!);

    /// <summary>When <see cref="Poll"/> must next run, or null when nothing is pending.</summary>
    public TimeSpan? NextDeadline(TimeSpan now)
    {
        if (Failed)
        {
            return null;
        }
        if (_ackNow || (_pending.Count > 0 && WindowOpen))
        {
            return now;
        }
        TimeSpan? next = _ackDeadline;
        foreach (var m in _inFlight)
        {
            if (next is null || m.Deadline < next)
            {
                next = m.Deadline;
            }
        }
        return next;
    }

    private bool WindowOpen => _inFlight.Count < Math.Min(_congestionWindow, (int)PeerReceiveWindow);

    private sealed class InFlightMessage(byte[] message, ushort ns, TimeSpan deadline)
    {
        public byte[] Message { get; } = message;

        public ushort Ns { get; } = ns;

        public TimeSpan Deadline { get; set; } = deadline;

        public int Retransmissions { get; set; }
    }

    private static void Stamp(byte[] message, ushort ns, ushort nr)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(NsOffset), ns);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(NrOffset), nr);
    }
}
