namespace Relay.Wire.Stun;

/// <summary>Family octet of MAPPED-ADDRESS and XOR-MAPPED-ADDRESS (RFC 5389 §15.1).</summary>
public static class StunAddressFamily
{
    public const byte IPv4 = 0x01;
    public const byte IPv6 = 0x02;
}
