namespace Relay.Control.L2tp;

/// <summary>One call inside a tunnel.</summary>
public sealed class Session(ushort localId, SessionState state, TimeSpan createdAt)
{
    public ushort LocalId { get; } = localId;

    public ushort PeerId { get; internal set; }

    public SessionState State { get; internal set; } = state;

    public TimeSpan CreatedAt { get; } = createdAt;

    public uint CallSerialNumber { get; internal set; }

    /// <summary>The peer asked for sequenced data messages (Sequencing Required AVP, §5.4).</summary>
    public bool DataSequencing { get; internal set; }
}
