namespace Relay.Wire.Ppp;

/// <summary>Result of <see cref="PapPacket.Parse"/>.</summary>
public enum PapStatus
{
    Ok = 0,

    /// <summary>Fewer than the four header octets.</summary>
    Truncated,

    /// <summary>Length below 4 (RFC 1334 §2.2).</summary>
    BadLength,

    /// <summary>Length larger than the octets received.</summary>
    LengthBeyondData,

    /// <summary>A Code other than 1–3 (RFC 1334 §2.2).</summary>
    UnknownCode,

    /// <summary>The Peer-ID Length octet is missing or Peer-ID runs past Length (§2.2.1).</summary>
    PeerIdBeyondPacket,

    /// <summary>The Passwd-Length octet is missing or Password runs past Length (§2.2.1).</summary>
    PasswordBeyondPacket,

    /// <summary>The Msg-Length octet is missing or Message runs past Length (§2.2.2).</summary>
    MessageBeyondPacket,
}
