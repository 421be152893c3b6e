using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Relay.Control.Addressing;
using Relay.DataPlane.Forwarding;
using Relay.DataPlane.Sockets;
using Relay.Wire.Ip;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.Benchmarks.DataPlane;

/// <summary>
/// One packet session A → session B: parse, lookup, source check, PPP, inner IPv4, policy, route,
/// TTL−1 (RFC 1624), L2TP header rewritten in place. The first 32 octets are restored each call;
/// <see cref="RestoreOnly"/> measures that restore alone.
/// </summary>
[MemoryDiagnoser]
public class ForwardBenchmark
{
    private const int Headroom = Forwarder.MaxEncapsulation;
    private static readonly UdpPeer PeerA = UdpPeer.FromIPv4(0xCB007101, 40001);
    private byte[] _template = [];
    private byte[] _buffer = [];
    private ForwardingSnapshot _snapshot = null!;
    private ForwardingWorkerState _worker = null!;

    [Params(64, 1400)]
    public int EspPayloadBytes { get; set; }

    [Params(false, true)]
    public bool TargetSequencing { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var table = new ForwardingTable([Ipv4Prefix.Parse("10.0.0.0/16")], workers: 2);
        for (ushort i = 1; i <= 1000; i++)
        {
            table.Ready(new SessionKey(i, i), UdpPeer.FromIPv4(0xCB000000u + i, 1701), i, i, TargetSequencing && i == 2, 0x0A000000u + i);
        }
        table.Ready(new SessionKey(1, 1), PeerA, 1, 1, false, 0x0A000001);
        _snapshot = table.Publish();
        _worker = new ForwardingWorkerState(0, new FragmentTable(1024, 1000));
        var ipLength = 20 + 8 + EspPayloadBytes;
        _template = new byte[Headroom + 8 + 4 + ipLength];
        new L2tpHeader { Flags = L2tpHeaderFlags.Length, TunnelId = 1, SessionId = 1 }.TryWrite(_template.AsSpan(Headroom), 4 + ipLength, out var headerLength);
        var ppp = _template.AsSpan(Headroom + headerLength);
        PppFrame.WriteHeader(ppp, PppProtocol.Ipv4);
        Ipv4Header.Write(ppp[4..], Ipv4Header.ProtocolEsp, 0x0A000001, 0x0A000002, (ushort)ipLength, ttl: 255);
        BinaryPrimitives.WriteUInt32BigEndian(ppp[24..], 0x01020304);
        _buffer = (byte[])_template.Clone();
    }

    [Benchmark(Baseline = true)]
    public int RestoreOnly()
    {
        _template.AsSpan(Headroom, 32).CopyTo(_buffer.AsSpan(Headroom));
        return _buffer[Headroom];
    }

    [Benchmark]
    public int ClassifyAndRewrite()
    {
        _template.AsSpan(Headroom, 32).CopyTo(_buffer.AsSpan(Headroom));
        Forwarder.FromPeer(_buffer, Headroom, _buffer.Length - Headroom, PeerA, _snapshot, _worker, 1, out var result);
        return result.Start + (int)result.Verdict;
    }
}
