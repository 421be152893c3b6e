namespace Relay.Wire.Ppp;

/// <summary>PAP packet Codes (RFC 1334 §2.2).</summary>
public enum PapCode : byte
{
    AuthenticateRequest = 1,
    AuthenticateAck = 2,
    AuthenticateNak = 3,
}
