using System.Buffers.Binary;
using System.Diagnostics;
using Relay.Testing;
using Relay.Wire.Ip;

namespace Relay.Wire.Tests.Ip;

/// <summary>
/// Wireshark judges what Relay.Wire writes for IPv4, UDP and ESP, with its checksum validation
/// switched on so that the header and UDP checksums are checked by an independent implementation.
/// </summary>
public sealed class IpDissectorTests : IDisposable
{
    private const uint Source = 0x0A400005;
    private const uint Destination = 0x0A400006;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"relay-ip-{Guid.NewGuid():N}.pcap");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Wireshark_reads_raw_esp_and_udp_encapsulated_esp_and_ike()
    {
        using (var pcap = new PcapFile(_path))
        {
            pcap.WriteIpv4(Ipv4Header.ProtocolEsp, Esp(0x01020304, 1, 24));
            pcap.WriteIpPacket(Ipv4Udp(Esp(0xC0FFEE01, 2, 40), ttl: 64));
            pcap.WriteIpPacket(Ipv4Udp(IkeHeader(), ttl: 1));
            pcap.WriteIpPacket(Ipv4Udp([0xFF], ttl: 200));
        }

        var fields = new[] { "ip.proto", "ip.ttl", "ip.checksum.status", "udp.checksum.status", "udp.length", "esp.spi", "esp.sequence", "isakmp.ispi" };
        TShark.Dissect(_path, fields);
        var rows = CheckingChecksums(fields);

        Assert.Equal(["50", "64", "1", "", "", "0x01020304", "1", ""], rows[0]);
        Assert.Equal(["17", "64", "1", "1", "56", "0xc0ffee01", "2", ""], rows[1]);
        Assert.Equal(["17", "1", "1", "1", "40", "", "", "0102030405060708"], rows[2]);
        Assert.Equal(["17", "200", "1", "1", "9", "", "", ""], rows[3]);
    }

    [Fact]
    public void Wireshark_agrees_with_the_checksum_after_a_ttl_decrement()
    {
        var packet = Ipv4Udp(Esp(0xC0FFEE01, 3, 16), ttl: 9);
        Assert.Equal(Ipv4TtlStatus.Ok, Ipv4Header.DecrementTtl(packet));
        using (var pcap = new PcapFile(_path))
        {
            pcap.WriteIpPacket(packet);
        }

        var rows = CheckingChecksums(["ip.ttl", "ip.checksum.status"]);

        Assert.Equal(["8", "1"], rows[0]);
    }

    private static byte[] Esp(uint spi, uint sequence, int payload)
    {
        var esp = new byte[8 + payload];
        BinaryPrimitives.WriteUInt32BigEndian(esp, spi);
        BinaryPrimitives.WriteUInt32BigEndian(esp.AsSpan(4), sequence);
        for (var i = 8; i < esp.Length; i++)
        {
            esp[i] = (byte)(i * 37);
        }
        return esp;
    }

    /// <summary>A non-ESP marker and an IKE_SA_INIT header without payloads (RFC 3948 §2.2, RFC 7296 §3.1).</summary>
    private static byte[] IkeHeader()
    {
        var ike = new byte[4 + 28];
        for (var i = 0; i < 8; i++)
        {
            ike[4 + i] = (byte)(i + 1);
        }
        ike[4 + 17] = 0x20; // version 2.0
        ike[4 + 18] = 34; // IKE_SA_INIT
        ike[4 + 19] = 0x08; // Initiator
        BinaryPrimitives.WriteUInt32BigEndian(ike.AsSpan(4 + 24), 28);
        Assert.Equal(UdpEncapsulationKind.Ike, UdpEncapsulation.Classify(ike));
        return ike;
    }

    private static byte[] Ipv4Udp(byte[] payload, byte ttl)
    {
        var packet = new byte[28 + payload.Length];
        payload.CopyTo(packet, 28);
        Assert.True(UdpHeader.Write(packet.AsSpan(20), UdpEncapsulation.Port, UdpEncapsulation.Port, Source, Destination));
        Assert.True(Ipv4Header.Write(packet, Ipv4Header.ProtocolUdp, Source, Destination, (ushort)packet.Length, identification: 0x1234, ttl: ttl));
        return packet;
    }

    /// <summary>
    /// <see cref="TShark.Dissect"/> runs with default preferences, under which Wireshark leaves
    /// IP and UDP checksums unverified; this runs it once more with validation on.
    /// </summary>
    private List<string[]> CheckingChecksums(string[] fields)
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-r", _path, "-n", "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=," })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var f in fields)
        {
            psi.ArgumentList.Add("-e");
            psi.ArgumentList.Add(f);
        }
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
    }
}
