namespace Relay.Wire.L2tp;

/// <summary>Framing Capabilities / Framing Type bit mask (RFC 2661 §4.4.3, §4.4.4).</summary>
[Flags]
public enum L2tpFramingBits : uint
{
    None = 0,
    Synchronous = 1,
    Asynchronous = 2,
}
