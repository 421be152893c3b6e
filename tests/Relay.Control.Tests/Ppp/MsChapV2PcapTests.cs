using Relay.Testing;

namespace Relay.Control.Tests.Ppp;

/// <summary>Wireshark as an independent judge of an MS-CHAPv2 bring-up carried in L2TP data messages.</summary>
public sealed class MsChapV2PcapTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"relay-mschapv2-{Guid.NewGuid():N}.pcap");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Wireshark_reads_an_ms_chap_v2_bring_up_without_complaint()
    {
        var pair = MsChapV2SessionTests.MsChapV2Pair();
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
        var rows = TShark.Dissect(_path, "ppp.protocol", "lcp.opt.auth_protocol", "lcp.opt.algorithm", "chap.code", "chap.identifier",
            "chap.value_size", "chap.name", "chap.message");
        Assert.Equal(pair.Wire.Count, rows.Count);

        // LCP Authentication-Protocol C223 with algorithm 0x81 (RFC 2759 §2).
        Assert.Contains(rows, r => r["lcp.opt.auth_protocol"] == "0xc223" && r["lcp.opt.algorithm"] == "129");
        var chap = rows.Where(r => r["chap.code"].Length > 0).ToList();
        Assert.Equal(["1", "2", "3"], chap.Select(r => r["chap.code"]).ToArray());
        Assert.Single(chap.Select(r => r["chap.identifier"]).Distinct());
        // Challenge: Value-Size 16 and our name (§3); Response: Value-Size 49 and the user (§4).
        Assert.Equal(("16", "relay"), (chap[0]["chap.value_size"], chap[0]["chap.name"]));
        Assert.Equal(("49", "alice"), (chap[1]["chap.value_size"], chap[1]["chap.name"]));
        // Success: "S=<40 hex digits> M=<text>" (§5).
        Assert.Matches("^S=[0-9A-F]{40} M=", chap[2]["chap.message"]);
        Assert.Contains(rows, r => r["ppp.protocol"] == "0x8021");
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
