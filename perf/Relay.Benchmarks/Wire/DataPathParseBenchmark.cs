using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Relay.Wire.Ip;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.Benchmarks.Wire;

/// <summary>
/// What the relay does to every data packet before it forwards it: L2TP data header, PPP frame,
/// inner IPv4 header (checksum verified), UDP header and the RFC 3948 ESP/IKE classification.
/// </summary>
[MemoryDiagnoser]
public class DataPathParseBenchmark
{
    private byte[] _packet = [];

    [Params(64, 1400)]
    public int EspPayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Build();
        // A benchmark of an early exit measures nothing: refuse to run unless the packet parses through.
        if (ParseL2tpPppIpv4UdpEsp() < 0)
        {
            throw new InvalidOperationException("benchmark packet does not parse");
        }
    }

    private void Build()
    {
        // L2TP data header with Length (T=0, L=1), tunnel 0x1234, session 0x5678; PPP FF03 0021;
        // IPv4/UDP 4500 carrying ESP with SPI 0x01020304.
        var udpLength = 8 + 8 + EspPayloadBytes;
        var ipLength = 20 + udpLength;
        // With L set the data header is 8 octets: flags, Length, tunnel id, session id.
        _packet = new byte[8 + 4 + ipLength];
        var header = new L2tpHeader { Flags = L2tpHeaderFlags.Length, TunnelId = 0x1234, SessionId = 0x5678 };
        header.TryWrite(_packet, 4 + ipLength, out var headerLength);
        var ppp = _packet.AsSpan(headerLength);
        PppFrame.WriteHeader(ppp, PppProtocol.Ipv4);
        var ip = ppp[4..];
        Ipv4Header.Write(ip, 17, 0x0A000001, 0x0A000002, (ushort)ipLength);
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt32BigEndian(udp[8..], 0x01020304);
        BinaryPrimitives.WriteUInt32BigEndian(udp[12..], 1);
        UdpHeader.Write(udp, 4500, 4500, 0x0A000001, 0x0A000002);
    }

    [Benchmark]
    public int ParseL2tpPppIpv4UdpEsp()
    {
        if (L2tpHeader.TryParse(_packet, out var l2tp) != L2tpParseStatus.Ok
            || PppFrame.Parse(_packet.AsSpan(l2tp.PayloadStart, l2tp.PayloadLength), out var ppp) != PppFrameStatus.Ok
            || Ipv4Header.Parse(ppp.Information, out var ip) != Ipv4Status.Ok
            || UdpHeader.Parse(ip.Payload, out var udp) != UdpStatus.Ok)
        {
            return -1;
        }
        return (int)UdpEncapsulation.Classify(udp.Payload) + l2tp.SessionId;
    }
}
