namespace Relay.DataPlane.Forwarding;

/// <summary>
/// The outcome for one packet: the verdict, the drop reason when dropped, the sessions involved,
/// and which octets of the caller's buffer to send (absolute offsets into that buffer).
/// </summary>
public struct ForwardResult
{
    public ForwardVerdict Verdict;

    /// <summary><see cref="DropReason.None"/> unless <see cref="Verdict"/> is <see cref="ForwardVerdict.Drop"/>.</summary>
    public DropReason Reason;

    /// <summary>The session the packet came from, once its ids and source address checked out.</summary>
    public ForwardingEntry? Source;

    /// <summary>The session to send to (<see cref="ForwardVerdict.ToSession"/>): its <see cref="ForwardingEntry.Peer"/> is the UDP destination.</summary>
    public ForwardingEntry? Target;

    /// <summary>First octet to send, queue or write.</summary>
    public int Start;

    public int Length;
}
