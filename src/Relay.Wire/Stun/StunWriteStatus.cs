namespace Relay.Wire.Stun;

/// <summary>Result of the <see cref="StunResponseWriter"/> methods.</summary>
public enum StunWriteStatus : byte
{
    Ok = 0,
    /// <summary>The caller's buffer cannot hold the message.</summary>
    DestinationTooSmall,
    /// <summary>The address is neither 4 (IPv4) nor 16 (IPv6) bytes.</summary>
    InvalidAddressLength,
    /// <summary>Error codes are 300–699 (RFC 5389 §15.6).</summary>
    InvalidErrorCode,
    /// <summary>A reason phrase or SOFTWARE value longer than 763 bytes (§15.6, §15.10).</summary>
    TextTooLong,
    /// <summary>The request header is not valid, so there is no transaction to answer.</summary>
    InvalidRequest,
}
