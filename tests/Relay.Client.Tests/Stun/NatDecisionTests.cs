using System.Net;
using Relay.DataPlane.Stun;

namespace Relay.Client.Tests.Stun;

/// <summary>The decision of invention [0025]: NAT (mapped ≠ local on an IKE port) or IKE blocked while L2TP passes → tunnel.</summary>
public class NatDecisionTests
{
    private static readonly IPEndPoint Server = IPEndPoint.Parse("198.51.100.7:3478");
    private static readonly int[] Ike = [4500, 500];

    private static PortProbe Answered(int port, string local, string mapped)
        => new(port, PortProbeOutcome.Answered, IPEndPoint.Parse(local), IPEndPoint.Parse(mapped));

    private static PortProbe Silent(int port) => new(port, PortProbeOutcome.NoAnswer, IPEndPoint.Parse($"192.0.2.10:{port}"), null);

    private static PortProbe Busy(int port) => new(port, PortProbeOutcome.PortInUse, null, null, "Address already in use");

    private static NatProbeResult Decide(params PortProbe[] probes) => NatProbe.Decide(probes, Ike, 1701, Server);

    [Fact]
    public void Mapped_equal_to_local_on_both_ike_ports_is_direct()
    {
        var result = Decide(Answered(4500, "192.0.2.10:4500", "192.0.2.10:4500"), Answered(500, "192.0.2.10:500", "192.0.2.10:500"),
            Answered(1701, "192.0.2.10:1701", "192.0.2.10:1701"));

        Assert.Equal(NatDecision.Direct, result.Decision);
        Assert.False(result.Nat);
        Assert.Equal("192.0.2.10:4500", result.Mapped!.ToString());
        Assert.Contains("no nat", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_address_is_a_nat_and_needs_the_tunnel()
    {
        var result = Decide(Answered(4500, "10.0.0.2:4500", "203.0.113.1:4500"), Answered(500, "10.0.0.2:500", "203.0.113.1:500"));

        Assert.Equal(NatDecision.Tunnel, result.Decision);
        Assert.True(result.Nat);
        Assert.Equal("203.0.113.1:4500", result.Mapped!.ToString());
        Assert.Equal("10.0.0.2:4500", result.Local!.ToString());
        Assert.StartsWith("nat: the relay saw udp 4500 as 203.0.113.1:4500, sent from 10.0.0.2:4500", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_port_alone_is_a_nat_too()
    {
        var result = Decide(Answered(4500, "192.0.2.10:4500", "192.0.2.10:4500"), Answered(500, "192.0.2.10:500", "192.0.2.10:61234"));

        Assert.Equal(NatDecision.Tunnel, result.Decision);
        Assert.True(result.Nat);
        Assert.Contains("udp 500", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_answer_on_the_ike_ports_but_one_on_1701_means_ike_is_blocked()
    {
        var result = Decide(Silent(4500), Silent(500), Answered(1701, "192.0.2.10:1701", "192.0.2.10:1701"));

        Assert.Equal(NatDecision.Tunnel, result.Decision);
        Assert.False(result.Nat);
        Assert.Equal("ike blocked: no answer from 198.51.100.7:3478 to udp 4500, 500 but an answer to udp 1701", result.Reason);
    }

    [Fact]
    public void One_ike_port_blocked_while_the_other_answers_needs_the_tunnel()
    {
        var result = Decide(Answered(4500, "192.0.2.10:4500", "192.0.2.10:4500"), Silent(500));

        Assert.Equal(NatDecision.Tunnel, result.Decision);
        Assert.Contains("udp 500 blocked", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_answer_anywhere_tries_the_tunnel_and_says_it_cannot_tell()
    {
        var result = Decide(Silent(4500), Silent(500), Silent(1701));

        Assert.Equal(NatDecision.Tunnel, result.Decision);
        Assert.Null(result.Nat);
        Assert.Null(result.Mapped);
        Assert.Contains("cannot tell", result.Reason, StringComparison.Ordinal);
        Assert.Contains("udp 1701: no answer", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ike_ports_held_by_a_running_daemon_are_judged_from_the_l2tp_port()
    {
        var behindNat = Decide(Busy(4500), Busy(500), Answered(1701, "10.0.0.2:1701", "203.0.113.1:40001"));
        var public_ = Decide(Busy(4500), Busy(500), Answered(1701, "192.0.2.10:1701", "192.0.2.10:1701"));

        Assert.Equal((NatDecision.Tunnel, true), (behindNat.Decision, behindNat.Nat));
        Assert.Equal((NatDecision.Direct, false), (public_.Decision, public_.Nat));
        Assert.Contains("in use locally", behindNat.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_line_has_the_documented_fields()
    {
        var json = Decide(Answered(4500, "10.0.0.2:4500", "203.0.113.1:4500"), Silent(500)).ToJson();

        Assert.DoesNotContain('\n', json);
        Assert.StartsWith("{\"nat\":true,\"mapped\":\"203.0.113.1:4500\",\"local\":\"10.0.0.2:4500\",\"decision\":\"tunnel\",\"reason\":\"nat: ", json, StringComparison.Ordinal);
        Assert.Contains("\"ports\":[{\"port\":4500,\"outcome\":\"answered\"", json, StringComparison.Ordinal);
        Assert.Contains("{\"port\":500,\"outcome\":\"no-answer\"", json, StringComparison.Ordinal);
    }
}
