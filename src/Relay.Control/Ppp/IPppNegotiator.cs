namespace Relay.Control.Ppp;

/// <summary>
/// What one control protocol (LCP, IPCP) adds to the generic automaton: which options it asks
/// for, how it judges the peer's, and what it learns from the peer's answers (RFC 1661 §5.1–5.4).
/// </summary>
internal interface IPppNegotiator
{
    /// <summary>A new negotiation begins (from Starting, Closed or Stopped): back to our preferences.</summary>
    void Reset();

    /// <summary>Writes the options of our next Configure-Request.</summary>
    void WriteRequest(ref Relay.Wire.Ppp.PppControlWriter writer);

    /// <summary>
    /// Judges a well-formed option list from the peer's Configure-Request, recording Naks and
    /// Rejects in <paramref name="verdicts"/>; none recorded means Ack.
    /// </summary>
    void JudgeRequest(ReadOnlySpan<byte> options, ConfigureVerdicts verdicts);

    /// <summary>We are about to Ack the request last judged: adopt the peer's values.</summary>
    void CommitPeerRequest();

    /// <summary>The peer acknowledged our last request (options identical, §5.2): adopt it.</summary>
    void ReceiveAck(ReadOnlySpan<byte> options);

    /// <summary>The peer suggested other values (§5.3), for our next request.</summary>
    void ReceiveNak(ReadOnlySpan<byte> options);

    /// <summary>The peer refused these options (§5.4): leave them out of our next request.</summary>
    void ReceiveReject(ReadOnlySpan<byte> options);
}
