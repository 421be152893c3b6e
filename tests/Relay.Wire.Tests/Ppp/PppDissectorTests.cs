using System.Buffers.Binary;
using Relay.Testing;
using Relay.Wire.Ip;
using Relay.Wire.Ppp;

namespace Relay.Wire.Tests.Ppp;

/// <summary>
/// Wireshark as an independent judge: frames built by Relay.Wire, carried in L2TP data messages,
/// must dissect without malformed or warning marks and show the fields that were written.
/// </summary>
public sealed class PppDissectorTests : IDisposable
{
    private const ushort TunnelId = 0x1234;
    private const ushort SessionId = 0x0042;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"relay-ppp-{Guid.NewGuid():N}.pcap");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Wireshark_reads_every_ppp_packet_relay_writes()
    {
        var cases = Cases();
        using (var pcap = new PcapFile(_path))
        {
            foreach (var (frame, _) in cases)
            {
                pcap.WriteUdp(L2tpData(frame), 1701, 1701);
            }
        }

        var fields = cases.SelectMany(c => c.Expected.Select(e => e.Field)).Append("l2tp.tunnel").Append("l2tp.session").Distinct().ToArray();
        var rows = TShark.Dissect(_path, fields);

        Assert.Equal(cases.Count, rows.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            Assert.Equal("4660", rows[i]["l2tp.tunnel"]);
            Assert.Equal("66", rows[i]["l2tp.session"]);
            foreach (var (field, value) in cases[i].Expected)
            {
                Assert.True(value == rows[i][field], $"packet {i + 1}: {field} is '{rows[i][field]}', expected '{value}'");
            }
        }
    }

    private static List<(byte[] Frame, (string Field, string Value)[] Expected)> Cases()
    {
        var cases = new List<(byte[], (string, string)[])>();
        var b = new byte[256];

        // LCP Configure-Request: MRU, Magic-Number, CHAP with MD5 (RFC 1661 §6.1, §6.4, §6.2; RFC 1994 §3).
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.ConfigureRequest, 1, (ref PppControlWriter w) =>
        {
            w.WriteUInt16Option(LcpOption.Mru, 1400);
            w.WriteUInt32Option(LcpOption.MagicNumber, 0x11223344);
            w.WriteAuthenticationOption(PppProtocol.Chap, ChapAlgorithm.Md5);
        }), [("ppp.address", "0xff"), ("ppp.protocol", "0xc021"), ("ppp.code", "1"), ("ppp.identifier", "1"), ("ppp.length", "19"),
            ("lcp.opt.type", "1,5,3"), ("lcp.opt.mru", "1400"), ("lcp.opt.magic_number", "0x11223344"),
            ("lcp.opt.auth_protocol", "0xc223"), ("lcp.opt.algorithm", "5")]));
        // MS-CHAPv2 (RFC 2759 §2), PFC and ACFC (RFC 1661 §6.5, §6.6).
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.ConfigureRequest, 2, (ref PppControlWriter w) =>
        {
            w.WriteUInt32Option(LcpOption.MagicNumber, 0x55667788);
            w.WriteAuthenticationOption(PppProtocol.Chap, ChapAlgorithm.MsChapV2);
            w.WriteFlagOption(LcpOption.ProtocolFieldCompression);
            w.WriteFlagOption(LcpOption.AddressControlFieldCompression);
        }), [("ppp.code", "1"), ("ppp.length", "19"), ("lcp.opt.type", "5,3,7,8"), ("lcp.opt.length", "6,5,2,2"),
            ("lcp.opt.auth_protocol", "0xc223"), ("lcp.opt.algorithm", "129")]));
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.ConfigureNak, 2, (ref PppControlWriter w) => w.WriteAuthenticationOption(PppProtocol.Chap, ChapAlgorithm.Md5)),
            [("ppp.code", "3"), ("ppp.identifier", "2"), ("lcp.opt.type", "3"), ("lcp.opt.algorithm", "5")]));
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.ConfigureReject, 3, (ref PppControlWriter w) => w.WriteFlagOption(LcpOption.ProtocolFieldCompression)),
            [("ppp.code", "4"), ("ppp.length", "6"), ("lcp.opt.type", "7")]));
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.ConfigureAck, 1, (ref PppControlWriter w) =>
        {
            w.WriteUInt16Option(LcpOption.Mru, 1400);
            w.WriteUInt32Option(LcpOption.MagicNumber, 0x11223344);
            w.WriteAuthenticationOption(PppProtocol.Pap);
        }), [("ppp.code", "2"), ("lcp.opt.type", "1,5,3"), ("lcp.opt.length", "4,6,4"), ("lcp.opt.auth_protocol", "0xc023")]));
        // Echo (RFC 1661 §5.8).
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.EchoRequest, 4, (ref PppControlWriter w) => w.WriteUInt32(0x11223344)),
            [("ppp.code", "9"), ("ppp.identifier", "4"), ("lcp.magic_number", "0x11223344")]));
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.EchoReply, 4, (ref PppControlWriter w) => w.WriteUInt32(0x55667788)),
            [("ppp.code", "10"), ("lcp.magic_number", "0x55667788")]));
        // Protocol-Reject of an IPV6CP Configure-Request (RFC 1661 §5.7); Wireshark dissects the rejected packet too.
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.ProtocolReject, 5, (ref PppControlWriter w) =>
        {
            w.WriteUInt16(PppProtocol.Ipv6cp);
            w.WriteData([0x01, 0x01, 0x00, 0x04]);
        }), [("ppp.code", "8,1"), ("ppp.length", "10,4"), ("lcp.rej_proto", "0x8057")]));
        // Terminate (RFC 1661 §5.5).
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.TerminateRequest, 6, (ref PppControlWriter w) => w.WriteData("bye"u8)),
            [("ppp.code", "5"), ("ppp.length", "7"), ("ppp.data", "627965")]));
        cases.Add((Lcp(PppProtocol.Lcp, PppCode.TerminateAck, 6, (ref PppControlWriter _) => { }),
            [("ppp.code", "6"), ("ppp.length", "4")]));

        // IPCP with address and DNS (RFC 1332 §3.3, RFC 1877 §1, §3).
        cases.Add((Lcp(PppProtocol.Ipcp, PppCode.ConfigureNak, 7, (ref PppControlWriter w) =>
        {
            w.WriteUInt32Option(IpcpOption.IpAddress, 0x0A400005);
            w.WriteUInt32Option(IpcpOption.PrimaryDns, 0x01010101);
            w.WriteUInt32Option(IpcpOption.SecondaryDns, 0x08080808);
        }), [("ppp.protocol", "0x8021"), ("ppp.code", "3"), ("ppp.length", "22"), ("ipcp.opt.type", "3,129,131"),
            ("ipcp.opt.ip_address", "10.64.0.5"), ("ipcp.opt.pri_dns_address", "1.1.1.1"), ("ipcp.opt.sec_dns_address", "8.8.8.8")]));
        // CCP Configure-Request with MPPE (type 18, RFC 3078 §2.1) and Deflate (type 26, RFC 1979 §2).
        cases.Add((Lcp(PppProtocol.Ccp, PppCode.ConfigureRequest, 8, (ref PppControlWriter w) =>
        {
            w.WriteUInt32Option(18, 0x01000040);
            w.WriteOption(26, [0x78, 0x00]);
        }), [("ppp.protocol", "0x80fd"), ("ppp.code", "1"), ("ccp.opt.type", "18,26"), ("ccp.opt.length", "6,4")]));

        // CHAP (RFC 1994 §4).
        cases.Add((Chap(ChapPacket.WriteChallenge(b, ChapCode.Challenge, 9, Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(), "relay"u8), b),
            [("ppp.protocol", "0xc223"), ("chap.code", "1"), ("chap.identifier", "9"), ("chap.value_size", "16"),
                ("chap.value", "0102030405060708090a0b0c0d0e0f10"), ("chap.name", "relay")]));
        cases.Add((Chap(ChapPacket.WriteChallenge(b, ChapCode.Response, 9, Enumerable.Repeat((byte)0xAB, 16).ToArray(), "alice"u8), b),
            [("chap.code", "2"), ("chap.value_size", "16"), ("chap.value", "abababababababababababababababab"), ("chap.name", "alice")]));
        cases.Add((Chap(ChapPacket.WriteResult(b, ChapCode.Success, 9, "Welcome"u8), b), [("chap.code", "3"), ("chap.message", "Welcome")]));
        cases.Add((Chap(ChapPacket.WriteResult(b, ChapCode.Failure, 10, "Denied"u8), b), [("chap.code", "4"), ("chap.identifier", "10"), ("chap.message", "Denied")]));

        // PAP (RFC 1334 §2.2).
        cases.Add((Pap(PapPacket.WriteRequest(b, 11, "bob"u8, "hunter2"u8), b),
            [("ppp.protocol", "0xc023"), ("pap.code", "1"), ("pap.identifier", "11"), ("pap.peer_id", "bob"), ("pap.password", "hunter2")]));
        cases.Add((Pap(PapPacket.WriteResult(b, PapCode.AuthenticateAck, 11, "ok"u8), b), [("pap.code", "2"), ("pap.message", "ok")]));
        cases.Add((Pap(PapPacket.WriteResult(b, PapCode.AuthenticateNak, 12, "no"u8), b), [("pap.code", "3"), ("pap.message", "no")]));

        // IPv4/UDP 4500 carrying ESP, as a PPP IPv4 payload (RFC 3948 §2.1). Outer fields come first.
        cases.Add((Frame(PppProtocol.Ipv4, InnerEspOverUdp(7)),
            [("ppp.protocol", "0x0021"), ("ip.src", "192.0.2.1,10.64.0.5"), ("ip.dst", "198.51.100.1,10.64.0.6"), ("ip.ttl", "64,64"),
                ("ip.flags.df", "0,1"), ("udp.dstport", "1701,4500"),
                ("esp.spi", "0xc0ffee01"), ("esp.sequence", "7")]));
        // The same with Address/Control omitted and the Protocol field compressed (RFC 1661 §6.5, §6.6).
        cases.Add((Frame(PppProtocol.Ipv4, InnerEspOverUdp(8), compressed: true),
            [("ppp.protocol", "0x0021"), ("ip.dst", "198.51.100.1,10.64.0.6"), ("esp.spi", "0xc0ffee01"), ("esp.sequence", "8")]));
        return cases;
    }

    internal static byte[] InnerEspOverUdp(uint sequence)
    {
        var esp = new byte[8 + 32];
        BinaryPrimitives.WriteUInt32BigEndian(esp, 0xC0FFEE01);
        BinaryPrimitives.WriteUInt32BigEndian(esp.AsSpan(4), sequence);
        var packet = new byte[20 + 8 + esp.Length];
        esp.CopyTo(packet, 28);
        UdpHeader.Write(packet.AsSpan(20), UdpEncapsulation.Port, UdpEncapsulation.Port, 0x0A400005, 0x0A400006);
        Ipv4Header.Write(packet, Ipv4Header.ProtocolUdp, 0x0A400005, 0x0A400006, (ushort)packet.Length, identification: 0x77, ttl: 64, dontFragment: true);
        return packet;
    }

    private delegate void Body(ref PppControlWriter writer);

    private static byte[] Lcp(ushort protocol, PppCode code, byte identifier, Body body)
    {
        var buffer = new byte[256];
        var writer = new PppControlWriter(buffer, code, identifier);
        body(ref writer);
        var n = writer.Finish();
        Assert.NotEqual(0, n);
        return Frame(protocol, buffer.AsSpan(0, n));
    }

    private static byte[] Chap(int length, byte[] buffer) => Frame(PppProtocol.Chap, buffer.AsSpan(0, length));

    private static byte[] Pap(int length, byte[] buffer) => Frame(PppProtocol.Pap, buffer.AsSpan(0, length));

    private static byte[] Frame(ushort protocol, ReadOnlySpan<byte> information, bool compressed = false)
    {
        Assert.False(information.IsEmpty);
        var frame = new byte[4 + information.Length];
        var n = PppFrame.Write(frame, protocol, information, addressControl: !compressed, compressProtocol: compressed);
        Assert.Equal(compressed ? 1 + information.Length : frame.Length, n);
        return frame[..n];
    }

    /// <summary>A minimal L2TPv2 data header (RFC 2661 §3.1): no L, S or O bits, version 2.</summary>
    private static byte[] L2tpData(ReadOnlySpan<byte> ppp)
    {
        var message = new byte[6 + ppp.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, 0x0002);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), TunnelId);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), SessionId);
        ppp.CopyTo(message.AsSpan(6));
        return message;
    }
}
