namespace Relay.Wire.L2tp;

/// <summary>Bearer Capabilities / Bearer Type bit mask (RFC 2661 §4.4.3, §4.4.4).</summary>
[Flags]
public enum L2tpBearerBits : uint
{
    None = 0,
    Digital = 1,
    Analog = 2,
}
