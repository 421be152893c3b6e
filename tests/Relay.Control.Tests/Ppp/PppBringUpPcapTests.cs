using Relay.Control.Ppp;
using Relay.Testing;

namespace Relay.Control.Tests.Ppp;

/// <summary>
/// Wireshark as an independent judge of a whole bring-up: every frame both sessions sent,
/// carried in L2TP data messages, must dissect cleanly and show the negotiated values.
/// </summary>
public sealed class PppBringUpPcapTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"relay-ppp-bringup-{Guid.NewGuid():N}.pcap");

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData(PppAuthMethod.ChapMd5)]
    [InlineData(PppAuthMethod.Pap)]
    public void Wireshark_reads_a_full_bring_up_without_complaint(PppAuthMethod method)
    {
        var pair = new PppPair(PppPair.DefaultServer() with { AuthMethods = [method] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        pair.Server.Close("bye", pair.Now);
        Assert.True(pair.RunUntil(() => pair.BothFinished));

        using (var pcap = new PcapFile(_path))
        {
            foreach (var (fromServer, frame) in pair.Wire)
            {
                pcap.WriteUdp(L2tpData(frame, fromServer ? (ushort)0x1234 : (ushort)0x4321, fromServer ? (ushort)7 : (ushort)9), 1701, 1701,
                    fromServer ? "198.51.100.1" : "192.0.2.1", fromServer ? "192.0.2.1" : "198.51.100.1");
            }
        }
        var rows = TShark.Dissect(_path, "ppp.protocol", "ppp.code", "lcp.opt.mru", "lcp.opt.auth_protocol", "lcp.opt.algorithm",
            "lcp.opt.magic_number", "chap.code", "chap.name", "pap.code", "pap.peer_id", "ipcp.opt.ip_address", "ipcp.opt.pri_dns_address",
            "ipcp.opt.sec_dns_address");
        Assert.Equal(pair.Wire.Count, rows.Count);

        // LCP Configure-Request of the server: MRU 1400 and the authentication protocol (RFC 1661 §6.1, §6.2).
        var lcpRequests = rows.Where(r => r["ppp.protocol"] == "0xc021" && r["ppp.code"] == "1").ToList();
        Assert.All(lcpRequests, r => Assert.Equal("1400", r["lcp.opt.mru"]));
        Assert.Contains(lcpRequests, r => r["lcp.opt.auth_protocol"] == (method == PppAuthMethod.Pap ? "0xc023" : "0xc223"));
        if (method == PppAuthMethod.ChapMd5)
        {
            Assert.Equal(["1", "2", "3"], rows.Where(r => r["chap.code"].Length > 0).Select(r => r["chap.code"]).ToArray());
            Assert.Contains(rows, r => r["chap.name"] == "alice");
            Assert.Contains(rows, r => r["lcp.opt.algorithm"] == "5");
        }
        else
        {
            Assert.Equal(["1", "2"], rows.Where(r => r["pap.code"].Length > 0).Select(r => r["pap.code"]).ToArray());
            Assert.Contains(rows, r => r["pap.peer_id"] == "alice");
        }
        // IPCP: 0.0.0.0 Nak'd to the assigned address, DNS handed out (RFC 1332 §3.3, RFC 1877).
        Assert.Contains(rows, r => r["ipcp.opt.ip_address"] == "0.0.0.0");
        Assert.Contains(rows, r => r["ipcp.opt.ip_address"] == "100.64.0.2" && r["ipcp.opt.pri_dns_address"] == "192.0.2.53"
            && r["ipcp.opt.sec_dns_address"] == "192.0.2.54");
        Assert.Contains(rows, r => r["ipcp.opt.ip_address"] == "100.64.0.1");
        // Terminate-Request and -Ack at the end (RFC 1661 §5.5).
        Assert.Equal(["5", "6"], rows.TakeLast(2).Select(r => r["ppp.code"]).ToArray());
    }

    /// <summary>An L2TP data message header without optional fields: flags/version 0x0002, tunnel, session.</summary>
    private static byte[] L2tpData(byte[] frame, ushort tunnel, ushort session)
    {
        var datagram = new byte[6 + frame.Length];
        datagram[1] = 0x02;
        datagram[2] = (byte)(tunnel >> 8);
        datagram[3] = (byte)tunnel;
        datagram[4] = (byte)(session >> 8);
        datagram[5] = (byte)session;
        frame.CopyTo(datagram, 6);
        return datagram;
    }
}
