namespace Relay.Control.L2tp.Transport;

/// <summary>Timers and limits of the control channel's reliable delivery (RFC 2661 §5.8).</summary>
public sealed record ReliableDeliveryOptions
{
    /// <summary>First retransmission after this long without an acknowledgement (RFC default 1 s).</summary>
    public TimeSpan InitialRetransmitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on the doubling retransmission interval; the RFC forbids a cap below 8 s.</summary>
    public TimeSpan MaxRetransmitInterval { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Retransmissions of one message before the tunnel is cleared (RFC default 5).</summary>
    public int MaxRetransmissions { get; init; } = 5;

    /// <summary>
    /// How long an acknowledgement may wait for a message to ride on before an explicit ZLB is
    /// sent. A quarter of the first retransmission interval keeps the peer from retransmitting.
    /// </summary>
    public TimeSpan AckDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Our Receive Window Size: how many out-of-order messages we hold for in-order delivery.</summary>
    public ushort ReceiveWindow { get; init; } = 16;

    /// <summary>Messages the upper layer may queue beyond the send window before Enqueue refuses.</summary>
    public int MaxQueuedMessages { get; init; } = 64;

    /// <summary>The smallest cap RFC 2661 §5.8 allows.</summary>
    public static TimeSpan MinimumRetransmitCap { get; } = TimeSpan.FromSeconds(8);

    /// <summary>Total time from first transmission until the last retransmission gives up.</summary>
    public TimeSpan GiveUpAfter
    {
        get
        {
            var total = TimeSpan.Zero;
            for (var k = 0; k <= MaxRetransmissions; k++)
            {
                total += RetransmitInterval(k);
            }
            return total;
        }
    }

    /// <summary>The wait after the <paramref name="retransmissions"/>-th transmission: doubling, capped.</summary>
    public TimeSpan RetransmitInterval(int retransmissions)
    {
        var interval = InitialRetransmitInterval;
        for (var i = 0; i < retransmissions && interval < MaxRetransmitInterval; i++)
        {
            interval += interval;
        }
        return interval < MaxRetransmitInterval ? interval : MaxRetransmitInterval;
    }
}
