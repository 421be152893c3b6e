namespace Relay.Wire.Ppp;

/// <summary>
/// Code field of LCP-shaped control packets (RFC 1661 §5). NCPs such as IPCP use 1–7
/// (RFC 1332 §2); CCP adds Reset-Request/Ack (RFC 1962 §2).
/// </summary>
public enum PppCode : byte
{
    ConfigureRequest = 1,
    ConfigureAck = 2,
    ConfigureNak = 3,
    ConfigureReject = 4,
    TerminateRequest = 5,
    TerminateAck = 6,
    CodeReject = 7,
    ProtocolReject = 8,
    EchoRequest = 9,
    EchoReply = 10,
    DiscardRequest = 11,
    ResetRequest = 14,
    ResetAck = 15,
}
