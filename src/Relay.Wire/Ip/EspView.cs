using System.Buffers.Binary;

namespace Relay.Wire.Ip;

/// <summary>
/// The clear part of an ESP packet (RFC 4303 §2): SPI and Sequence Number. The relay forwards
/// ESP untouched, so the rest stays opaque <see cref="Payload"/>.
/// </summary>
public readonly ref struct EspView
{
    public const int HeaderLength = 8;

    private EspView(ReadOnlySpan<byte> packet) => Packet = packet;

    public ReadOnlySpan<byte> Packet { get; }

    public uint Spi => BinaryPrimitives.ReadUInt32BigEndian(Packet);

    /// <summary>The low 32 bits of the sequence number (RFC 4303 §2.2).</summary>
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(Packet[4..]);

    /// <summary>IV, encrypted data, padding, trailer and ICV: opaque to the relay.</summary>
    public ReadOnlySpan<byte> Payload => Packet[HeaderLength..];

    public static EspStatus Parse(ReadOnlySpan<byte> packet, out EspView result)
    {
        result = default;
        if (packet.Length < HeaderLength)
        {
            return EspStatus.Truncated;
        }
        var spi = BinaryPrimitives.ReadUInt32BigEndian(packet);
        if (spi == 0)
        {
            return EspStatus.ZeroSpi;
        }
        if (spi <= 255)
        {
            return EspStatus.ReservedSpi;
        }
        result = new EspView(packet);
        return EspStatus.Ok;
    }
}
