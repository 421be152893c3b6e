using System.Buffers.Binary;

namespace Relay.Control.Tests.L2tp.Transport;

/// <summary>Minimal control messages for transport tests: a header and a numbered body.</summary>
internal static class ControlMessages
{
    public static byte[] Numbered(int number)
    {
        var message = new byte[16];
        BinaryPrimitives.WriteUInt16BigEndian(message, 0xC802);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), 16);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(12), number);
        return message;
    }

    public static int NumberOf(byte[] message) => BinaryPrimitives.ReadInt32BigEndian(message.AsSpan(12));

    public static ushort Ns(byte[] message) => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(8));

    public static ushort Nr(byte[] message) => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(10));

    public static bool IsZeroLength(byte[] message) => message.Length == 12;
}
