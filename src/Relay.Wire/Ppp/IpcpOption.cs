namespace Relay.Wire.Ppp;

/// <summary>IPCP Configuration Option types (RFC 1332 §3; DNS and NBNS from RFC 1877 §1–4).</summary>
public static class IpcpOption
{
    public const byte IpCompressionProtocol = 2;
    public const byte IpAddress = 3;
    public const byte PrimaryDns = 129;
    public const byte PrimaryNbns = 130;
    public const byte SecondaryDns = 131;
    public const byte SecondaryNbns = 132;
}
