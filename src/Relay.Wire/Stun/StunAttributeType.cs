namespace Relay.Wire.Stun;

/// <summary>
/// Attribute types (RFC 5389 §15 and §18.2; RFC 3489 §11.2 for the ones 5389 retired; RFC 5780 §7 for
/// CHANGE-REQUEST). Values 0x0000–0x7FFF are comprehension-required, 0x8000–0xFFFF comprehension-optional.
/// </summary>
public enum StunAttributeType : ushort
{
    MappedAddress = 0x0001,
    /// <summary>RFC 3489 §11.2.2. Retired by RFC 5389; this server does not honour it (no reflection).</summary>
    ResponseAddress = 0x0002,
    /// <summary>RFC 3489 §11.2.4 / RFC 5780 §7.2: flags 0x4 change IP, 0x2 change port.</summary>
    ChangeRequest = 0x0003,
    SourceAddress = 0x0004,
    ChangedAddress = 0x0005,
    Username = 0x0006,
    MessageIntegrity = 0x0008,
    ErrorCode = 0x0009,
    UnknownAttributes = 0x000A,
    Realm = 0x0014,
    Nonce = 0x0015,
    XorMappedAddress = 0x0020,
    Software = 0x8022,
    AlternateServer = 0x8023,
    Fingerprint = 0x8028,
}
