using System.Net;
using System.Security.Cryptography;
using Relay.EndToEnd.Tests.Support;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.Ipsec;

/// <summary>
/// Raw ESP (IP protocol 50, not UDP-encapsulated), as a kernel IPsec stack without NAT-T would send it, crafted
/// by scapy on client A and addressed to client B's tunnel address: relayd carries it from session to session
/// unchanged (the ESP payload is never touched). Needs root, Debian's python3 with scapy, relayd with its data plane.
/// </summary>
public sealed class RawEspThroughRelaydTests(ITestOutputHelper output)
{
    [Fact]
    public void Raw_esp_between_two_tunnel_addresses_is_delivered_unchanged()
    {
        using var scratch = new ScratchDirectory();
        using var hub = new Fig3Hub(scratch);
        try
        {
            hub.StartClients();
            // The receiver is scapy too, sniffing relay0 on B: it prints the first ESP packet it sees as hex.
            using var sniffer = hub.ClientB.Start("/usr/bin/python3", "-u", "-c",
                "from scapy.all import AsyncSniffer, raw\n" +
                "s = AsyncSniffer(iface='relay0', filter='ip proto 50', count=1, timeout=20)\n" +
                "s.start()\n" +
                "import time\n" +
                "while not getattr(s, 'running', False): time.sleep(0.01)\n" +
                "print('ready', flush=True)\n" +
                "s.join()\n" +
                "print('esp ' + (raw(s.results[0]).hex() if s.results else 'none'), flush=True)\n");
            sniffer.WaitForLine(l => l == "ready", TimeSpan.FromSeconds(20));
            // SPI, sequence number, then opaque "ciphertext": what matters is that every octet arrives as sent.
            var esp = new byte[1200];
            esp[3] = 0x42;
            esp[7] = 1;
            RandomNumberGenerator.Fill(esp.AsSpan(8));
            var send = hub.ClientA.Exec("/usr/bin/python3", "-c",
                $"from scapy.all import IP, Raw, send; send(IP(src='{Fig3Hub.AddressA}', dst='{Fig3Hub.AddressB}', proto=50)/Raw(load=bytes.fromhex('{Convert.ToHexString(esp)}')), verbose=False)");
            Assert.True(send.Succeeded, send.ToString());

            var line = sniffer.WaitForLine(l => l.StartsWith("esp ", StringComparison.Ordinal), TimeSpan.FromSeconds(25));
            var buffer = line.Length > 4 && line != "esp none" ? Convert.FromHexString(line[4..]) : [];
            Assert.True(buffer.Length >= 20, $"no ESP packet reached B's relay0: {line}");
            var n = buffer.Length;
            var headerLength = (buffer[0] & 0xF) * 4;
            output.WriteLine($"received {n} octets: IPv4 header {headerLength}, protocol {buffer[9]}, from {new IPAddress(buffer.AsSpan(12, 4))}");

            Assert.Equal(50, buffer[9]);
            Assert.Equal(IPAddress.Parse(Fig3Hub.AddressA), new IPAddress(buffer.AsSpan(12, 4)));
            Assert.True(buffer.AsSpan(headerLength, n - headerLength).SequenceEqual(esp), "the ESP packet changed in transit");
        }
        finally
        {
            output.WriteLine(hub.Context());
        }
    }
}
