namespace Relay.Control.L2tp.Transport;

/// <summary>What the reliable transport did with one received control message.</summary>
public enum ReceiveOutcome
{
    /// <summary>In sequence: handed to the upper layer (with any queued successors).</summary>
    Delivered,

    /// <summary>Ahead of sequence but inside our receive window: held for in-order delivery.</summary>
    Queued,

    /// <summary>A ZLB: its Nr acknowledged our messages, nothing to deliver.</summary>
    Acknowledgement,

    /// <summary>Already received: dropped, and acknowledged again (RFC 2661 §5.8 MUST).</summary>
    Duplicate,

    /// <summary>Beyond our receive window: dropped; the peer will retransmit.</summary>
    OutOfWindow,
}
