namespace Relay.Wire.Stun;

/// <summary>The message class carried in bits C1 and C0 of the message type (RFC 5389 §6).</summary>
public enum StunMessageClass : byte
{
    Request = 0b00,
    Indication = 0b01,
    SuccessResponse = 0b10,
    ErrorResponse = 0b11,
}
