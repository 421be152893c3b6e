using Relay.DataPlane.Forwarding;
using Relay.Wire.Ip;

namespace Relay.DataPlane.Tests.Forwarding;

/// <summary>By default a session carries IKE and ESP only (UDP 500, 4500 per RFC 3948, IP protocol 50).</summary>
public class PolicyTests
{
    public static TheoryData<string, byte[], bool> Matrix()
    {
        var ike = new byte[28];
        var nonEsp = new byte[4 + 28]; // non-ESP marker then an IKE header (RFC 3948 §2.2)
        var espInUdp = new byte[] { 1, 2, 3, 4, 0, 0, 0, 1, 9, 9 };
        return new()
        {
            { "ESP", Packets.Esp(32), true },
            { "IKE 500→500", Packets.Udp(500, 500, ike), true },
            { "IKE from 500 to a high port", Packets.Udp(500, 40000, ike), true },
            { "NAT-T IKE with non-ESP marker", Packets.Udp(4500, 4500, nonEsp), true },
            { "NAT-T ESP", Packets.Udp(4500, 4500, espInUdp), true },
            { "NAT-T keepalive", Packets.Udp(4500, 4500, [0xFF]), true },
            { "NAT-T garbage", Packets.Udp(4500, 4500, [1, 2]), false },
            { "NAT-T marker without IKE header", Packets.Udp(4500, 4500, [0, 0, 0, 0, 1]), false },
            { "DNS", Packets.Udp(5353, 53, new byte[12]), false },
            { "TCP 500", Packets.Ipv4(6, new byte[20]), false },
            { "ICMP", Packets.Ipv4(1, new byte[8]), false },
            { "AH", Packets.Ipv4(51, new byte[12]), false },
            { "UDP too short for ports", Packets.Ipv4(Ipv4Header.ProtocolUdp, [1, 244]), false },
        };
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void The_default_policy_allows_IKE_and_ESP_and_nothing_else(string what, byte[] inner, bool allowed)
    {
        var verdict = Packets.FromPeer(Packets.L2tp(inner, Packets.KeyA), Packets.PeerA, Packets.Hub(), Packets.Worker(), out var result);
        Assert.True(allowed == (verdict == ForwardVerdict.ToSession), $"{what}: {verdict} {result.Reason}");
        if (!allowed)
        {
            Assert.Equal(DropReason.PolicyDenied, result.Reason);
        }
    }

    [Fact]
    public void A_configured_rule_list_replaces_the_default()
    {
        var policy = ForwardingPolicy.Create([new PolicyRule(PolicyRule.Udp, 5000, 5010), new PolicyRule(1)]);
        var table = Packets.Hub(policy: policy);
        bool Passes(byte[] inner) => Packets.FromPeer(Packets.L2tp(inner, Packets.KeyA), Packets.PeerA, table, Packets.Worker(), out _) == ForwardVerdict.ToSession;

        Assert.True(Passes(Packets.Udp(40000, 5005, new byte[4])));
        Assert.True(Passes(Packets.Ipv4(1, new byte[8])));
        Assert.False(Passes(Packets.Udp(40000, 5011, new byte[4])));
        Assert.False(Passes(Packets.Esp(16)));
    }

    [Fact]
    public void Rules_that_make_no_sense_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ForwardingPolicy.Create([new PolicyRule(50, 1, 2)]));
        Assert.Throws<ArgumentException>(() => ForwardingPolicy.Create([new PolicyRule(17, 9, 2)]));
        Assert.Throws<ArgumentException>(() => ForwardingPolicy.Create([new PolicyRule(6, 4500, 4500, RequireUdpEncapsulation: true)]));
    }
}
