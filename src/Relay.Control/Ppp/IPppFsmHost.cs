namespace Relay.Control.Ppp;

/// <summary>What the automaton needs from its session: a way to send, and the layer actions (RFC 1661 §4.4).</summary>
internal interface IPppFsmHost
{
    /// <summary>Sends one control packet (Code, Identifier, Length, Data) of the automaton's protocol.</summary>
    void SendControl(ushort protocol, ReadOnlySpan<byte> packet);

    /// <summary>tlu: the automaton entered Opened.</summary>
    void ThisLayerUp(PppFsm fsm, TimeSpan now);

    /// <summary>tld: the automaton left Opened.</summary>
    void ThisLayerDown(PppFsm fsm, TimeSpan now);

    /// <summary>tls: the lower layer is needed.</summary>
    void ThisLayerStarted(PppFsm fsm, TimeSpan now);

    /// <summary>tlf: the lower layer is no longer needed.</summary>
    void ThisLayerFinished(PppFsm fsm, TimeSpan now);

    /// <summary>
    /// LCP Codes beyond the shared ones (Protocol-Reject, Echo-*, Discard-Request: RFC 1661 §5.7–5.8),
    /// handed over in any state; the host answers RXR/RXJ through the automaton.
    /// </summary>
    void ReceiveExtended(PppFsm fsm, Relay.Wire.Ppp.PppControlPacket packet, TimeSpan now);
}
