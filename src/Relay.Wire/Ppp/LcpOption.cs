namespace Relay.Wire.Ppp;

/// <summary>LCP Configuration Option types (RFC 1661 §6; ACCM from RFC 1662 §7.1).</summary>
public static class LcpOption
{
    public const byte Mru = 1;
    public const byte Accm = 2;
    public const byte AuthenticationProtocol = 3;
    public const byte QualityProtocol = 4;
    public const byte MagicNumber = 5;
    public const byte ProtocolFieldCompression = 7;
    public const byte AddressControlFieldCompression = 8;
}
