namespace Relay.Wire.L2tp;

/// <summary>
/// Why an L2TP parse or value read failed. <see cref="Ok"/> is zero; every other member is one
/// reason, declared once so that drop counters, logs and the control layer share the names.
/// Members named <c>Bad&lt;Avp&gt;</c> report an AVP value whose length or content does not fit
/// the format RFC 2661 §4.4 gives that attribute.
/// </summary>
public enum L2tpParseStatus
{
    Ok = 0,

    // Header (RFC 2661 §3.1)
    /// <summary>The datagram ends inside the fixed header fields its flags announce.</summary>
    Truncated,
    /// <summary>Ver is 1: an L2F packet (RFC 2341) sharing port 1701 (§8.1: discard silently).</summary>
    L2fVersion,
    /// <summary>Ver is neither 1 nor 2 (§3.1: MUST be discarded).</summary>
    UnsupportedVersion,
    /// <summary>The Length field is smaller than the header it belongs to.</summary>
    BadLength,
    /// <summary>The Length field is larger than the datagram that carried it.</summary>
    LengthExceedsDatagram,
    /// <summary>Offset Size points past the end of the message.</summary>
    BadOffsetSize,
    /// <summary>T=1 with L=0 (§3.1: L MUST be 1 for control messages).</summary>
    ControlWithoutLength,
    /// <summary>T=1 with S=0 (§3.1: S MUST be 1 for control messages).</summary>
    ControlWithoutSequence,
    /// <summary>T=1 with O=1 (§3.1: O MUST be 0 for control messages).</summary>
    ControlWithOffset,
    /// <summary>T=1 with P=1 (§3.1: P MUST be 0 for control messages).</summary>
    ControlWithPriority,
    /// <summary>A control-message parse was asked for a data message (T=0).</summary>
    NotControl,

    // AVP framing (§4.1) and message structure (§4.4.1, §4.3)
    /// <summary>Fewer than 6 octets remain where an AVP header should start.</summary>
    AvpTruncated,
    /// <summary>An AVP Length below the 6-octet minimum.</summary>
    AvpLengthTooSmall,
    /// <summary>An AVP Length that runs past the end of the message.</summary>
    AvpBeyondMessage,
    /// <summary>The first AVP is not an IETF Message Type AVP (§4.4.1: it MUST be first).</summary>
    MessageTypeNotFirst,
    /// <summary>The Message Type AVP has H=1 (§4.4.1: the H-bit MUST be 0).</summary>
    MessageTypeHidden,
    /// <summary>The Random Vector AVP has H=1 (§4.4.1: it MUST NOT be hidden).</summary>
    RandomVectorHidden,
    /// <summary>An AVP with H=1 that no Random Vector AVP precedes (§4.3).</summary>
    HiddenAvpWithoutRandomVector,
    /// <summary>A hidden value shorter than its 2-octet Original Length field (§4.3).</summary>
    HiddenValueTooShort,
    /// <summary>A hidden value whose Original Length exceeds the octets that follow it (§4.3).</summary>
    HiddenOriginalLengthTooLarge,
    /// <summary>The caller's buffer is too small for the unhidden value.</summary>
    BufferTooSmall,

    // AVP values (§4.4): wrong length or a field the RFC forbids.
    BadMessageType,
    BadResultCode,
    BadProtocolVersion,
    BadFramingCapabilities,
    BadBearerCapabilities,
    BadTieBreaker,
    BadFirmwareRevision,
    BadHostName,
    BadVendorName,
    BadAssignedTunnelId,
    BadReceiveWindowSize,
    BadChallenge,
    BadQ931CauseCode,
    BadChallengeResponse,
    BadAssignedSessionId,
    BadCallSerialNumber,
    BadMinimumBps,
    BadMaximumBps,
    BadBearerType,
    BadFramingType,
    BadCalledNumber,
    BadCallingNumber,
    BadSubAddress,
    BadTxConnectSpeed,
    BadPhysicalChannelId,
    BadInitialReceivedLcpConfReq,
    BadLastSentLcpConfReq,
    BadLastReceivedLcpConfReq,
    BadProxyAuthenType,
    BadProxyAuthenName,
    BadProxyAuthenChallenge,
    BadProxyAuthenId,
    BadProxyAuthenResponse,
    BadCallErrors,
    BadAccm,
    BadRandomVector,
    BadPrivateGroupId,
    BadRxConnectSpeed,
    BadSequencingRequired,
}
