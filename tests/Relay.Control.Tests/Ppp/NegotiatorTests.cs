using System.Net;
using Relay.Control.Ppp;
using Relay.Wire.Ppp;

namespace Relay.Control.Tests.Ppp;

/// <summary>The LCP and IPCP option decisions, one negotiator at a time.</summary>
public sealed class NegotiatorTests
{
    private static readonly PppOptions Server = PppPair.DefaultServer();

    [Fact]
    public void A_rejected_magic_number_is_left_out_of_the_next_request()
    {
        // RFC 1661 §5.4: rejected options are not sent again.
        var lcp = Lcp(Server);
        Assert.Contains(LcpOption.MagicNumber, Types(Request(lcp)));
        lcp.ReceiveReject([LcpOption.MagicNumber, 6, 1, 2, 3, 4]);
        Assert.DoesNotContain(LcpOption.MagicNumber, Types(Request(lcp)));
        lcp.ReceiveAck(Request(lcp));
        Assert.Equal(0u, lcp.LocalMagic);
    }

    [Fact]
    public void A_nak_never_raises_our_mru_above_the_configured_one()
    {
        // RFC 1661 §6.1: the MRU is our capability; we go down, never up.
        var lcp = Lcp(Server);
        lcp.ReceiveNak([LcpOption.Mru, 4, 0x05, 0xDC]);
        lcp.ReceiveAck(Request(lcp));
        Assert.Equal(1400, lcp.LocalMru);
        lcp.ReceiveNak([LcpOption.Mru, 4, 0x04, 0x00]);
        lcp.ReceiveAck(Request(lcp));
        Assert.Equal(1024, lcp.LocalMru);
    }

    [Fact]
    public void A_nak_with_our_own_magic_number_picks_a_new_one()
    {
        // RFC 1661 §6.4.
        var lcp = Lcp(Server);
        var before = lcp.RequestedMagic;
        Span<byte> nak = [LcpOption.MagicNumber, 6, 0, 0, 0, 0];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(nak[2..], before);
        lcp.ReceiveNak(nak);
        Assert.NotEqual(before, lcp.RequestedMagic);
        Assert.Equal(1, lcp.Counters.MagicCollisions);
    }

    [Fact]
    public void A_zero_magic_number_is_always_nakd()
    {
        var verdicts = Judge(Lcp(Server), [LcpOption.MagicNumber, 6, 0, 0, 0, 0]);
        Assert.True(verdicts.HasNaks);
    }

    [Fact]
    public void The_authenticator_rejects_a_peer_asking_it_to_authenticate()
    {
        var verdicts = Judge(Lcp(Server), [LcpOption.AuthenticationProtocol, 4, 0xC0, 0x23]);
        Assert.Equal([LcpOption.AuthenticationProtocol, 4, 0xC0, 0x23], verdicts.Rejects.ToArray());
    }

    [Fact]
    public void The_peer_naks_an_unsupported_method_with_its_preference()
    {
        var client = PppPair.DefaultClient() with { AuthMethods = [PppAuthMethod.Pap] };
        var verdicts = Judge(Lcp(client), [LcpOption.AuthenticationProtocol, 5, 0xC2, 0x23, 0x81]);
        Assert.Equal([LcpOption.AuthenticationProtocol, 4, 0xC0, 0x23], verdicts.Naks.ToArray());
    }

    [Fact]
    public void A_wrong_peer_address_is_nakd_with_the_assigned_one()
    {
        // RFC 1332 §3.3.
        var ipcp = new IpcpNegotiator(Server, () => IPAddress.Parse("100.64.0.9"), _ => { });
        var verdicts = Judge(ipcp, [IpcpOption.IpAddress, 6, 10, 0, 0, 5]);
        Assert.Equal([IpcpOption.IpAddress, 6, 100, 64, 0, 9], verdicts.Naks.ToArray());
        verdicts = Judge(ipcp, [IpcpOption.IpAddress, 6, 100, 64, 0, 9]);
        Assert.False(verdicts.HasNaks || verdicts.HasRejects);
    }

    [Fact]
    public void A_request_without_an_address_is_nakd_with_one()
    {
        // RFC 1661 §5.3: a Nak may carry options the peer did not include.
        var ipcp = new IpcpNegotiator(Server, () => IPAddress.Parse("100.64.0.9"), _ => { });
        var verdicts = Judge(ipcp, []);
        Assert.Equal([IpcpOption.IpAddress, 6, 100, 64, 0, 9], verdicts.Naks.ToArray());
    }

    [Fact]
    public void Nbns_and_vj_compression_are_rejected_and_dns_is_nakd_with_the_configured_servers()
    {
        // RFC 1877 §1–4, RFC 1332 §3.2.
        var ipcp = new IpcpNegotiator(Server, () => PppPair.ClientAddress, _ => { });
        byte[] request = [IpcpOption.IpAddress, 6, 100, 64, 0, 2, IpcpOption.PrimaryDns, 6, 0, 0, 0, 0,
            IpcpOption.PrimaryNbns, 6, 0, 0, 0, 0, IpcpOption.IpCompressionProtocol, 6, 0x00, 0x2D, 15, 1];
        var verdicts = Judge(ipcp, request);
        Assert.Equal(request[12..], verdicts.Rejects.ToArray());
        Assert.Equal([IpcpOption.PrimaryDns, 6, 192, 0, 2, 53], verdicts.Naks.ToArray());
    }

    [Fact]
    public void The_client_takes_the_nakd_address_and_dns_servers()
    {
        var client = PppPair.DefaultClient();
        var ipcp = new IpcpNegotiator(client, () => null, _ => { });
        Assert.Equal([IpcpOption.IpAddress, 6, 0, 0, 0, 0, IpcpOption.PrimaryDns, 6, 0, 0, 0, 0, IpcpOption.SecondaryDns, 6, 0, 0, 0, 0], Request(ipcp));
        ipcp.ReceiveNak([IpcpOption.IpAddress, 6, 100, 64, 0, 7, IpcpOption.PrimaryDns, 6, 9, 9, 9, 9]);
        ipcp.ReceiveReject([IpcpOption.SecondaryDns, 6, 0, 0, 0, 0]);
        var request = Request(ipcp);
        Assert.Equal([IpcpOption.IpAddress, 6, 100, 64, 0, 7, IpcpOption.PrimaryDns, 6, 9, 9, 9, 9], request);
        ipcp.ReceiveAck(request);
        Assert.Equal(IPAddress.Parse("100.64.0.7"), ipcp.LocalAddress);
        Assert.Equal([IPAddress.Parse("9.9.9.9")], ipcp.Dns);
    }

    private static LcpNegotiator Lcp(PppOptions options)
    {
        var random = new Random(11);
        return new LcpNegotiator(options, () => (uint)random.NextInt64(1, uint.MaxValue), _ => { }, new PppCounters());
    }

    private static ConfigureVerdicts Judge(IPppNegotiator negotiator, byte[] options)
    {
        var verdicts = new ConfigureVerdicts();
        negotiator.JudgeRequest(options, verdicts);
        return verdicts;
    }

    private static byte[] Request(IPppNegotiator negotiator)
    {
        var buffer = new byte[256];
        var writer = new PppControlWriter(buffer, PppCode.ConfigureRequest, 1);
        negotiator.WriteRequest(ref writer);
        return buffer[4..writer.Finish()];
    }

    private static List<byte> Types(byte[] options)
    {
        var types = new List<byte>();
        foreach (var option in new PppOptionReader(options))
        {
            types.Add(option.Type);
        }
        return types;
    }
}
