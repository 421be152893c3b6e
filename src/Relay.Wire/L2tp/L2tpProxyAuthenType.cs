namespace Relay.Wire.L2tp;

/// <summary>Proxy Authen Type values (RFC 2661 §4.4.5, §10.5). 0 is reserved.</summary>
public enum L2tpProxyAuthenType : ushort
{
    Textual = 1,
    Chap = 2,
    Pap = 3,
    NoAuthentication = 4,
    MsChapV1 = 5,
}
