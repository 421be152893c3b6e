namespace Relay.Wire.Ppp;

/// <summary>CHAP packet Codes (RFC 1994 §4).</summary>
public enum ChapCode : byte
{
    Challenge = 1,
    Response = 2,
    Success = 3,
    Failure = 4,
}
