namespace Relay.Wire.Stun;

/// <summary>STUN methods this library knows (RFC 5389 §18.1). Methods are 12 bits.</summary>
public enum StunMethod : ushort
{
    /// <summary>RFC 5389 §3: the only method defined by the base spec; RFC 3489 used the same value.</summary>
    Binding = 0x001,
}
