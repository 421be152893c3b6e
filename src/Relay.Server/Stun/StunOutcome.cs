namespace Relay.Server.Stun;

/// <summary>
/// What the STUN service did with one datagram, declared once: counters are indexed by it and the
/// shutdown summary takes names from <see cref="StunOutcomeNames"/>.
/// </summary>
internal enum StunOutcome
{
    /// <summary>Binding success response sent.</summary>
    Answered,
    /// <summary>400: an attribute overran the message or had a bad length (RFC 5389 §7.3.1, §15.6).</summary>
    RejectedMalformed,
    /// <summary>400: a request for a method other than Binding.</summary>
    RejectedUnknownMethod,
    /// <summary>420: unknown comprehension-required attributes (§7.3.1).</summary>
    RejectedUnknownAttribute,
    /// <summary>420 naming CHANGE-REQUEST: a change of address or port was asked and there is no alternate address.</summary>
    RejectedChangeRequest,
    /// <summary>Not a STUN message (header checks of §6 / §7.3 failed): dropped silently.</summary>
    DroppedMalformed,
    /// <summary>FINGERPRINT present but wrong (§7.3): dropped silently.</summary>
    DroppedBadFingerprint,
    /// <summary>A response or indication: never answered (§7.3.2–§7.3.4).</summary>
    DroppedNotRequest,
    /// <summary>Source port 0: a reply could not be delivered and would be a reflection vector.</summary>
    DroppedSourcePortZero,
    /// <summary>Source address of a family the response cannot carry.</summary>
    DroppedUnsupportedAddress,
    /// <summary>The kernel refused to send the reply.</summary>
    DroppedSendFailed,
}
