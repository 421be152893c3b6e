using System.Buffers.Binary;
using Relay.Wire.Stun;

namespace Relay.DataPlane.Stun;

/// <summary>A Binding request (RFC 5389 §6) with FINGERPRINT (§15.5), and the check that a response belongs to it.</summary>
internal static class StunBindingRequest
{
    public const int Length = StunMessage.HeaderLength + 8;

    /// <summary>Writes the request with <paramref name="transactionId"/> (12 octets) into <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, ReadOnlySpan<byte> transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, StunMessageType.Compose((ushort)StunMethod.Binding, StunMessageClass.Request));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 8);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StunMessage.MagicCookie);
        transactionId[..12].CopyTo(destination[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[20..], (ushort)StunAttributeType.Fingerprint);
        BinaryPrimitives.WriteUInt16BigEndian(destination[22..], 4);
        // §15.5: CRC-32 of the message up to the attribute, with the length already counting it.
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], StunFingerprint.Compute(destination[..20]));
    }

    /// <summary>
    /// Reads a response to the request with <paramref name="transactionId"/>: Ok with the mapped address
    /// (XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS, §15.1–15.2), Error with its code, or Ignore for anything else
    /// (another transaction, a malformed datagram: §7.3.3 says to discard those).
    /// </summary>
    public static StunReply Read(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> transactionId, Span<byte> address, out int addressLength, out ushort port, out int errorCode)
    {
        addressLength = 0;
        port = 0;
        errorCode = 0;
        var status = StunMessage.Parse(datagram, out var message);
        if (status != StunParseStatus.Ok || message.IsRfc3489 || !message.TransactionId.SequenceEqual(transactionId)
            || message.Method != (ushort)StunMethod.Binding)
        {
            return StunReply.Ignore;
        }
        if (message.Class == StunMessageClass.ErrorResponse)
        {
            return message.TryGetErrorCode(out errorCode, out _) ? StunReply.Error : StunReply.Ignore;
        }
        if (message.Class != StunMessageClass.SuccessResponse)
        {
            return StunReply.Ignore;
        }
        return message.TryGetAddress(StunAttributeType.XorMappedAddress, address, out addressLength, out port)
            || message.TryGetAddress(StunAttributeType.MappedAddress, address, out addressLength, out port)
            ? StunReply.Ok
            : StunReply.Ignore;
    }
}
