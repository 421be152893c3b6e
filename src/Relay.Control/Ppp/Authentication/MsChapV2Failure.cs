namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// A parsed MS-CHAPv2 Failure message (RFC 2759 §6). <see cref="Challenge"/> is the 16-octet
/// challenge for a retry, null when the message had no "C=".
/// </summary>
public readonly record struct MsChapV2Failure(int Error, bool Retry, byte[]? Challenge, int Version, string Message);
