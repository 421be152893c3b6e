using System.Buffers.Binary;
using Relay.Wire.Ip;

namespace Relay.Fuzz.Targets;

/// <summary>
/// IPv4 with UDP, RFC 3948 classification and ESP views. Besides "parses without throwing" it
/// checks the checksum code against itself: the chunked sum against a word-by-word sum, the
/// RFC 1624 incremental update against full recomputation, and writers against parsers.
/// </summary>
internal sealed class Ipv4FuzzTarget : IFuzzTarget
{
    public string Name => "ipv4";

    public IEnumerable<byte[]> Seeds()
    {
        var esp = new byte[20 + 16];
        Ipv4Header.Write(esp, Ipv4Header.ProtocolEsp, 0xC0000201, 0xC6336401, (ushort)esp.Length, 1, 64, true);
        BinaryPrimitives.WriteUInt32BigEndian(esp.AsSpan(20), 0x12345678);
        yield return esp;
        yield return Udp(20, [0, 0, 1, 0, 0, 0, 0, 1, 9, 9, 9, 9]);
        yield return Udp(4 + 28, []);
        yield return Udp(1, [0xFF]);
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        CheckSum(input);
        var status = Ipv4Header.Parse(input, out var ip, verifyChecksum: false);
        if (status != Ipv4Status.Ok)
        {
            Require(Ipv4Header.Parse(input, out _) == status, "checksum verification changed a framing status");
            return;
        }
        var checksumValid = InternetChecksum.Compute(ip.Datagram[..ip.HeaderLength]) == 0;
        Require((Ipv4Header.Parse(input, out _) == Ipv4Status.Ok) == checksumValid, "Parse disagrees with the checksum");
        if (checksumValid)
        {
            CheckTtl(ip.Datagram[..ip.HeaderLength].ToArray());
            CheckIncremental(ip.Datagram[..ip.HeaderLength].ToArray(), BinaryPrimitives.ReverseEndianness(ip.Identification));
        }
        CheckRewrite(ip);
        if (ip.FragmentOffset != 0)
        {
            return;
        }
        if (ip.Protocol == Ipv4Header.ProtocolUdp)
        {
            CheckUdp(ip);
        }
        else if (ip.Protocol == Ipv4Header.ProtocolEsp && EspView.Parse(ip.Payload, out var esp) == EspStatus.Ok)
        {
            Require(esp.Spi > 255 && esp.Payload.Length == ip.Payload.Length - 8, "ESP view is inconsistent");
        }
    }

    private static void CheckSum(ReadOnlySpan<byte> data)
    {
        uint reference = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            reference += (uint)(data[i] << 8 | data[i + 1]);
        }
        if ((data.Length & 1) != 0)
        {
            reference += (uint)data[^1] << 8;
        }
        Require(InternetChecksum.Sum(data) == InternetChecksum.Fold(reference), "chunked sum differs from the word-by-word sum");
        var half = data.Length / 2 & ~1;
        Require(InternetChecksum.Sum(data[half..], InternetChecksum.Sum(data[..half])) == InternetChecksum.Sum(data), "sums do not chain");
    }

    private static void CheckTtl(byte[] header)
    {
        var before = header.ToArray();
        var result = Ipv4Header.DecrementTtl(header);
        if (result == Ipv4TtlStatus.Expired)
        {
            Require(before[8] <= 1 && header.AsSpan().SequenceEqual(before), "an expired TTL changed the header");
            return;
        }
        Require(result == Ipv4TtlStatus.Ok && header[8] == before[8] - 1, "TTL was not decremented");
        Require(InternetChecksum.Compute(header) == 0, "checksum does not verify after a TTL decrement");
    }

    private static void CheckIncremental(byte[] header, ushort identification)
    {
        var checksum = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(10));
        var old = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), identification);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), 0);
        Require(InternetChecksum.Update(checksum, old, identification) == InternetChecksum.Compute(header),
            "RFC 1624 update differs from full recomputation");
    }

    private static void CheckRewrite(Ipv4Header ip)
    {
        if (ip.HasOptions || ip.IsFragment)
        {
            return;
        }
        var buffer = ip.Datagram.ToArray();
        Require(Ipv4Header.Write(buffer, ip.Protocol, ip.Source, ip.Destination, ip.TotalLength, ip.Identification, ip.Ttl, ip.DontFragment, ip.TypeOfService),
            "header cannot be written again");
        Require(Ipv4Header.Parse(buffer, out var again) == Ipv4Status.Ok, "written header does not parse");
        Require(again.Protocol == ip.Protocol && again.Source == ip.Source && again.Destination == ip.Destination && again.TotalLength == ip.TotalLength
            && again.Identification == ip.Identification && again.Ttl == ip.Ttl && again.DontFragment == ip.DontFragment && again.TypeOfService == ip.TypeOfService,
            "written header parses differently");
    }

    private static void CheckUdp(Ipv4Header ip)
    {
        if (UdpHeader.Parse(ip.Payload, out var udp) != UdpStatus.Ok)
        {
            return;
        }
        var verified = !ip.IsFragment && udp.VerifyChecksum(ip.Source, ip.Destination) == UdpStatus.Ok;
        var copy = udp.Datagram.ToArray();
        Require(UdpHeader.Write(copy, udp.SourcePort, udp.DestinationPort, ip.Source, ip.Destination, udp.HasChecksum), "UDP cannot be written again");
        Require(UdpHeader.Parse(copy, out var again) == UdpStatus.Ok && again.VerifyChecksum(ip.Source, ip.Destination) == UdpStatus.Ok,
            "written UDP does not verify");
        Require(again.HasChecksum == udp.HasChecksum && (!verified || again.Checksum == udp.Checksum), "a verified UDP checksum was written differently");
        if (udp.DestinationPort != UdpEncapsulation.Port && udp.SourcePort != UdpEncapsulation.Port)
        {
            return;
        }
        switch (UdpEncapsulation.Classify(udp.Payload))
        {
            case UdpEncapsulationKind.Esp:
                Require(EspView.Parse(udp.Payload, out _) is EspStatus.Ok or EspStatus.ReservedSpi, "ESP classification without an ESP header");
                break;
            case UdpEncapsulationKind.Ike:
                Require(BinaryPrimitives.ReadUInt32BigEndian(udp.Payload) == 0, "IKE classification without the non-ESP marker");
                break;
            case UdpEncapsulationKind.NatKeepalive:
                Require(udp.Payload.Length == 1 && udp.Payload[0] == 0xFF, "keepalive classification of something else");
                break;
        }
    }

    private static byte[] Udp(int payloadLength, byte[] prefix)
    {
        var packet = new byte[28 + payloadLength];
        prefix.CopyTo(packet, 28);
        UdpHeader.Write(packet.AsSpan(20), UdpEncapsulation.Port, UdpEncapsulation.Port, 0x0A000001, 0x0A000002);
        Ipv4Header.Write(packet, Ipv4Header.ProtocolUdp, 0x0A000001, 0x0A000002, (ushort)packet.Length, 7, 64, true);
        return packet;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}
