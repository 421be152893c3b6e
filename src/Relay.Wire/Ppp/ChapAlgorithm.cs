namespace Relay.Wire.Ppp;

/// <summary>Algorithm octet of the CHAP Authentication-Protocol option (RFC 1994 §3; RFC 2759 §2).</summary>
public static class ChapAlgorithm
{
    public const byte Md5 = 5;
    public const byte MsChap = 0x80;
    public const byte MsChapV2 = 0x81;
}
