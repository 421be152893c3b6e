using System.Buffers.Binary;
using Relay.Wire.Stun;

namespace Relay.Wire.Tests.Stun;

/// <summary>Builds requests for tests, independently of StunResponseWriter.</summary>
internal static class StunTestMessages
{
    public static byte[] Request(ReadOnlySpan<byte> transactionId, ushort method = 1, bool rfc3489 = false, bool fingerprint = false,
        params (ushort Type, byte[] Value)[] attributes)
    {
        var body = new List<byte>();
        foreach (var (type, value) in attributes)
        {
            body.AddRange([(byte)(type >> 8), (byte)type, (byte)(value.Length >> 8), (byte)value.Length]);
            body.AddRange(value);
            while (body.Count % 4 != 0)
            {
                body.Add(0);
            }
        }
        var length = body.Count + (fingerprint ? 8 : 0);
        var message = new byte[20 + length];
        BinaryPrimitives.WriteUInt16BigEndian(message, StunMessageType.Compose(method, StunMessageClass.Request));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)length);
        if (rfc3489)
        {
            transactionId[..16].CopyTo(message.AsSpan(4));
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), StunMessage.MagicCookie);
            transactionId[..12].CopyTo(message.AsSpan(8));
        }
        body.CopyTo(message, 20);
        if (fingerprint)
        {
            var at = 20 + body.Count;
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(at), 0x80280004);
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(at + 4), StunFingerprint.Compute(message.AsSpan(0, at)));
        }
        return message;
    }
}
