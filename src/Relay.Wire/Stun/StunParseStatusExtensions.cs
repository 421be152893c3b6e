namespace Relay.Wire.Stun;

/// <summary>Classifies <see cref="StunParseStatus"/> values.</summary>
public static class StunParseStatusExtensions
{
    /// <summary>True when the header (type, length, cookie, transaction id) was valid.</summary>
    public static bool HeaderIsValid(this StunParseStatus status)
        => status == StunParseStatus.Ok || status >= StunParseStatus.AttributeTruncated;

    /// <summary>True for FINGERPRINT failures, which RFC 5389 §7.3 says to discard silently.</summary>
    public static bool IsFingerprintFailure(this StunParseStatus status)
        => status is StunParseStatus.FingerprintBadLength or StunParseStatus.FingerprintNotLast or StunParseStatus.FingerprintMismatch;
}
