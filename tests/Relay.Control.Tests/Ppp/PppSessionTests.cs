using System.Buffers.Binary;
using Relay.Control.Ppp;
using Relay.Wire.Ppp;

namespace Relay.Control.Tests.Ppp;

public sealed class PppSessionTests
{
    [Theory]
    [InlineData(PppAuthMethod.ChapMd5)]
    [InlineData(PppAuthMethod.Pap)]
    public void Brings_the_link_up_with_the_right_credentials(PppAuthMethod method)
    {
        var pair = new PppPair(PppPair.DefaultServer() with { AuthMethods = [method] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));

        var serverAuth = Assert.Single(pair.ServerEvents.OfType<Authenticated>());
        Assert.Equal("alice", serverAuth.User);
        Assert.Equal(method, serverAuth.Method);
        Assert.Equal("s3cret-alice", serverAuth.Credential!.Secret);
        Assert.Equal("alice", Assert.Single(pair.ClientEvents.OfType<Authenticated>()).User);

        var server = Assert.Single(pair.ServerEvents.OfType<NetworkReady>());
        var client = Assert.Single(pair.ClientEvents.OfType<NetworkReady>());
        Assert.Equal(PppPair.ServerAddress, server.LocalAddress);
        Assert.Equal(PppPair.ClientAddress, server.PeerAddress);
        Assert.Equal(PppPair.ClientAddress, client.LocalAddress);
        Assert.Equal(PppPair.ServerAddress, client.PeerAddress);
        Assert.Equal([PppPair.Dns1, PppPair.Dns2], client.Dns);
        Assert.Equal(1400, server.Mru);
        Assert.Equal(1400, client.Mru);
        Assert.Equal(PppPhase.Network, pair.Server.Phase);
        Assert.Equal(1, pair.AddressRequests);
        // Bring-up on a clean link needs no retransmission (RFC 1661 §4.6 restart timer never fires).
        Assert.Equal(TimeSpan.Zero, pair.Now);
    }

    [Theory]
    [InlineData(PppAuthMethod.ChapMd5, "wrong response to challenge")]
    [InlineData(PppAuthMethod.Pap, "wrong password")]
    public void Wrong_password_fails_authentication_and_terminates_both_sides(PppAuthMethod method, string reason)
    {
        var pair = new PppPair(PppPair.DefaultServer() with { AuthMethods = [method] }, PppPair.DefaultClient("alice", "guess"));
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));

        var failed = Assert.Single(pair.ServerEvents.OfType<AuthenticationFailed>());
        Assert.Equal("alice", failed.User);
        Assert.Equal(reason, failed.Reason);
        Assert.DoesNotContain("s3cret", failed.Reason, StringComparison.Ordinal);
        Assert.Single(pair.ClientEvents.OfType<AuthenticationFailed>());
        Assert.Empty(pair.ServerEvents.OfType<NetworkReady>());
        Assert.Empty(pair.ClientEvents.OfType<NetworkReady>());
        Assert.Contains("authentication failed", Assert.Single(pair.ServerEvents.OfType<Terminated>()).Reason, StringComparison.Ordinal);
        Assert.Null(pair.Server.NextDeadline());
        Assert.Null(pair.Client.NextDeadline());
        Assert.Equal(0, pair.AddressRequests);
    }

    [Fact]
    public void An_unknown_user_is_refused()
    {
        var pair = new PppPair(client: PppPair.DefaultClient("mallory", "x"));
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        var failed = Assert.Single(pair.ServerEvents.OfType<AuthenticationFailed>());
        Assert.Equal(("mallory", "unknown user"), (failed.User, failed.Reason));
    }

    [Fact]
    public void The_server_name_in_the_secrets_is_our_name_for_chap()
    {
        // bob's line has server "*": it matches our name too.
        var pair = new PppPair(client: PppPair.DefaultClient("bob", "bob-pw"));
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
    }

    [Fact]
    public void The_authenticator_moves_to_the_method_the_peer_naks_with_when_it_allows_it()
    {
        // RFC 1661 §6.2: a Nak of Authentication-Protocol suggests the peer's preference.
        var pair = new PppPair(client: PppPair.DefaultClient() with { AuthMethods = [PppAuthMethod.Pap] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        Assert.Equal(PppAuthMethod.Pap, Assert.Single(pair.ServerEvents.OfType<Authenticated>()).Method);
    }

    [Fact]
    public void The_authenticator_gives_up_when_the_peer_accepts_none_of_its_methods()
    {
        var pair = new PppPair(PppPair.DefaultServer() with { AuthMethods = [PppAuthMethod.ChapMd5] },
            PppPair.DefaultClient() with { AuthMethods = [PppAuthMethod.Pap] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        Assert.Equal("peer accepts none of the authentication methods", pair.ServerEvents.OfType<Terminated>().Single().Reason);
    }

    [Fact]
    public void A_peer_without_any_method_rejects_authentication_and_the_authenticator_terminates()
    {
        var pair = new PppPair(client: PppPair.DefaultClient() with { AuthMethods = [] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        Assert.Equal("peer refuses to authenticate", pair.ServerEvents.OfType<Terminated>().Single().Reason);
    }

    [Fact]
    public void No_authentication_configured_goes_straight_to_ipcp()
    {
        var pair = new PppPair(PppPair.DefaultServer() with { AuthMethods = [] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        Assert.Empty(pair.ServerEvents.OfType<Authenticated>());
    }

    [Fact]
    public void No_address_for_the_peer_terminates_the_link()
    {
        var pair = new PppPair { AssignedAddress = null };
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        Assert.Equal("no address available for the peer", pair.ServerEvents.OfType<Terminated>().Single().Reason);
    }

    [Fact]
    public void Without_dns_servers_the_dns_options_are_rejected_and_the_client_stops_asking()
    {
        // RFC 1877 §1: an LNS without servers Configure-Rejects 129/131.
        var pair = new PppPair(PppPair.DefaultServer() with { DnsServers = [] });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        Assert.Empty(pair.ClientEvents.OfType<NetworkReady>().Single().Dns);
        Assert.Contains(pair.Wire, w => w.FromServer && IsIpcp(w.Frame, PppCode.ConfigureReject));
    }

    [Fact]
    public void The_client_address_is_nakd_from_zero_to_the_assigned_one()
    {
        // RFC 1332 §3.3: the peer asks for 0.0.0.0, the LNS Naks with the address to use.
        var pair = new PppPair();
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        var nak = pair.Wire.First(w => w.FromServer && IsIpcp(w.Frame, PppCode.ConfigureNak)).Frame;
        Assert.Equal([IpcpOption.IpAddress, 6, 100, 64, 0, 2], nak[8..14]);
    }

    [Theory]
    [InlineData(PppProtocol.Ccp)]
    [InlineData(PppProtocol.Ipv6cp)]
    public void Ccp_and_ipv6cp_are_refused_with_a_protocol_reject(ushort protocol)
    {
        // RFC 1661 §5.7: Protocol-Reject carries the rejected protocol and its Information.
        var pair = UpPair();
        var frame = Frame(protocol, [1, 7, 0, 4]);
        pair.Server.Receive(frame, pair.Now);

        var reject = Assert.Single(pair.Server.Outbox);
        Assert.True(PppFrame.Parse(reject, out var f) == PppFrameStatus.Ok && f.Protocol == PppProtocol.Lcp);
        Assert.Equal(PppControlStatus.Ok, PppControlPacket.Parse(f.Information, PppProtocol.Lcp, out var p));
        Assert.Equal(PppCode.ProtocolReject, p.Code);
        Assert.Equal(PppControlStatus.Ok, p.ReadProtocolReject(out var rejected, out var info));
        Assert.Equal(protocol, rejected);
        Assert.Equal([1, 7, 0, 4], info.ToArray());
        Assert.Equal(1, protocol == PppProtocol.Ccp ? pair.Server.Counters.CcpFrames : pair.Server.Counters.Ipv6cpFrames);
        Assert.Equal(1, pair.Server.Counters.ProtocolRejectsSent);

        // The link stays up (RXJ+ at the peer for a protocol it does not need).
        pair.Pump();
        Assert.True(pair.BothReady);
    }

    [Fact]
    public void Protocol_reject_is_not_sent_before_lcp_is_opened()
    {
        var session = new PppSession(PppPair.DefaultServer(), () => PppPair.ClientAddress, new Random(1));
        session.Open(TimeSpan.Zero);
        session.Outbox.Clear();
        session.Receive(Frame(PppProtocol.Ccp, [1, 1, 0, 4]), TimeSpan.Zero);
        Assert.Empty(session.Outbox);
        Assert.Equal(1, session.Counters.CcpFrames);
    }

    [Theory]
    [InlineData(PppProtocol.Lcp, 0x20)]
    [InlineData(PppProtocol.Ipcp, (byte)PppCode.EchoRequest)]
    public void An_unknown_code_is_answered_with_code_reject(ushort protocol, byte code)
    {
        // RFC 1661 §5.6; IPCP knows only Codes 1–7 (RFC 1332 §2).
        var pair = UpPair();
        byte[] packet = [code, 0x42, 0, 6, 0xAB, 0xCD];
        pair.Server.Receive(Frame(protocol, packet), pair.Now);

        var reply = Assert.Single(pair.Server.Outbox);
        Assert.True(PppFrame.Parse(reply, out var f) == PppFrameStatus.Ok && f.Protocol == protocol);
        PppControlPacket.Parse(f.Information, protocol, out var p);
        Assert.Equal(PppCode.CodeReject, p.Code);
        Assert.Equal(packet, p.Data.ToArray());
        pair.Pump();
        Assert.True(pair.BothReady);
    }

    [Fact]
    public void Echo_request_is_answered_with_our_magic_number_only_when_opened()
    {
        // RFC 1661 §5.8: Echo-Reply carries the sender's own Magic-Number.
        var pair = UpPair();
        byte[] echo = [(byte)PppCode.EchoRequest, 9, 0, 10, 0, 0, 0, 0, 0xDE, 0xAD];
        BinaryPrimitives.WriteUInt32BigEndian(echo.AsSpan(4), pair.Client.LocalMagic);
        pair.Server.Receive(Frame(PppProtocol.Lcp, echo), pair.Now);

        PppFrame.Parse(Assert.Single(pair.Server.Outbox), out var f);
        PppControlPacket.Parse(f.Information, PppProtocol.Lcp, out var p);
        Assert.Equal((PppCode.EchoReply, (byte)9), (p.Code, p.Identifier));
        p.ReadMagic(out var magic, out var data);
        Assert.Equal(pair.Server.LocalMagic, magic);
        Assert.NotEqual(0u, magic);
        Assert.Equal([0xDE, 0xAD], data.ToArray());

        var fresh = new PppSession(PppPair.DefaultServer(), null, new Random(3));
        fresh.Open(TimeSpan.Zero);
        fresh.Outbox.Clear();
        fresh.Receive(Frame(PppProtocol.Lcp, echo), TimeSpan.Zero);
        Assert.Empty(fresh.Outbox);
    }

    [Fact]
    public void Discard_request_is_ignored()
    {
        var pair = UpPair();
        pair.Server.Receive(Frame(PppProtocol.Lcp, [(byte)PppCode.DiscardRequest, 1, 0, 8, 0, 0, 0, 0]), pair.Now);
        Assert.Empty(pair.Server.Outbox);
    }

    [Fact]
    public void Echo_keepalive_runs_while_the_peer_answers()
    {
        var pair = UpPair();
        pair.Advance(TimeSpan.FromMinutes(10));
        Assert.True(pair.BothReady);
        Assert.True(pair.Server.Counters.EchoRequestsSent >= 19);
        Assert.Equal(pair.Server.Counters.EchoRequestsSent, pair.Server.Counters.EchoRepliesReceived);
        Assert.Empty(pair.ServerEvents.OfType<EchoTimeout>());
    }

    [Fact]
    public void A_silent_peer_is_declared_dead_after_echo_failures()
    {
        var pair = UpPair();
        var start = pair.Now;
        pair.Loss = 1;
        Assert.True(pair.RunUntil(() => pair.BothFinished, TimeSpan.FromMinutes(10)));
        var timeout = Assert.Single(pair.ServerEvents.OfType<EchoTimeout>());
        Assert.Equal(4, timeout.Unanswered);
        Assert.Equal("peer stopped answering Echo-Request", pair.ServerEvents.OfType<Terminated>().Single().Reason);
        // Four unanswered requests at 30 s, the fifth interval declares death, then two Terminate-Requests (3 s each).
        Assert.Equal(TimeSpan.FromSeconds(5 * 30 + 2 * 3), pair.Now - start);
    }

    [Fact]
    public void Close_terminates_both_sides_and_leaves_no_timer()
    {
        var pair = UpPair();
        pair.Server.Close("administrative shutdown", pair.Now);
        Assert.True(pair.RunUntil(() => pair.BothFinished));
        Assert.Equal("administrative shutdown", pair.ServerEvents.OfType<Terminated>().Single().Reason);
        Assert.Equal("terminated by the peer", pair.ClientEvents.OfType<Terminated>().Single().Reason);
        Assert.Null(pair.Server.NextDeadline());
        Assert.Null(pair.Client.NextDeadline());
        Assert.Equal(PppPhase.Dead, pair.Server.Phase);
    }

    [Fact]
    public void Close_before_open_finishes_at_once()
    {
        var session = new PppSession(PppPair.DefaultServer());
        session.Close("not needed", TimeSpan.Zero);
        Assert.True(session.IsFinished);
        Assert.Equal("not needed", Assert.IsType<Terminated>(Assert.Single(session.Events)).Reason);
        Assert.Empty(session.Outbox);
    }

    [Fact]
    public void An_unanswered_link_gives_up_after_max_configure_requests()
    {
        // RFC 1661 §4.6: Max-Configure (10) requests, then TO- → tlf.
        var session = new PppSession(PppPair.DefaultServer(), null, new Random(5));
        var now = TimeSpan.Zero;
        session.Open(now);
        var requests = session.Outbox.Count;
        while (session.NextDeadline() is { } next)
        {
            now = next;
            session.Tick(now);
            requests = session.Outbox.Count;
        }
        Assert.Equal(10, requests);
        Assert.Equal(TimeSpan.FromSeconds(30), now);
        Assert.True(session.IsFinished);
        Assert.Equal(PppFsmState.Stopped, session.LcpState);
    }

    [Fact]
    public void A_looped_back_link_is_detected_by_magic_number()
    {
        // RFC 1661 §6.4: our own Magic-Number keeps coming back.
        var session = new PppSession(PppPair.DefaultClient(), null, new Random(7));
        var now = TimeSpan.Zero;
        session.Open(now);
        for (var i = 0; i < 1000 && !session.IsFinished; i++)
        {
            var frames = session.Outbox.ToArray();
            session.Outbox.Clear();
            foreach (var f in frames)
            {
                session.Receive(f, now);
            }
            if (frames.Length == 0 && session.NextDeadline() is { } next)
            {
                now = next;
                session.Tick(now);
            }
        }
        Assert.True(session.IsFinished);
        Assert.Equal("looped-back link detected", session.Events.OfType<Terminated>().Single().Reason);
        Assert.True(session.Counters.MagicCollisions >= 5);
    }

    [Fact]
    public void A_mru_nak_loop_ends_in_a_reject_after_max_failure_and_converges()
    {
        // RFC 1661 §4.6: after Max-Failure (5) Naks the option is rejected; the server stops asking for it.
        var pair = new PppPair(PppPair.DefaultServer() with { Mru = 500 });
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        var clientLcp = pair.Wire.Where(w => !w.FromServer && IsLcp(w.Frame, out _)).Select(w => { IsLcp(w.Frame, out var c); return c; }).ToList();
        Assert.Equal(5, clientLcp.Count(c => c == PppCode.ConfigureNak));
        Assert.Equal(1, clientLcp.Count(c => c == PppCode.ConfigureReject));
        Assert.Equal(1400, pair.ServerEvents.OfType<NetworkReady>().Single().Mru);
    }

    [Fact]
    public void Pfc_acfc_and_quality_protocol_are_rejected_and_the_negotiation_continues()
    {
        // Decisions in LcpNegotiator: PFC/ACFC/Quality-Protocol Configure-Reject (RFC 1661 §5.4).
        var session = new PppSession(PppPair.DefaultServer(), null, new Random(2));
        session.Open(TimeSpan.Zero);
        session.Outbox.Clear();
        byte[] request = [1, 0x33, 0, 4 + 2 + 2 + 4 + 6, LcpOption.ProtocolFieldCompression, 2, LcpOption.AddressControlFieldCompression, 2,
            LcpOption.QualityProtocol, 4, 0xC0, 0x25, LcpOption.Accm, 6, 0, 0, 0, 0];
        session.Receive(Frame(PppProtocol.Lcp, request), TimeSpan.Zero);
        PppFrame.Parse(Assert.Single(session.Outbox), out var f);
        PppControlPacket.Parse(f.Information, PppProtocol.Lcp, out var p);
        Assert.Equal((PppCode.ConfigureReject, (byte)0x33), (p.Code, p.Identifier));
        Assert.Equal(request[4..12], p.Data.ToArray());
    }

    [Fact]
    public void A_peer_mru_below_576_is_nakd_up_to_576()
    {
        var session = new PppSession(PppPair.DefaultServer(), null, new Random(2));
        session.Open(TimeSpan.Zero);
        session.Outbox.Clear();
        session.Receive(Frame(PppProtocol.Lcp, [1, 1, 0, 8, LcpOption.Mru, 4, 0x01, 0x00]), TimeSpan.Zero);
        PppFrame.Parse(Assert.Single(session.Outbox), out var f);
        PppControlPacket.Parse(f.Information, PppProtocol.Lcp, out var p);
        Assert.Equal(PppCode.ConfigureNak, p.Code);
        Assert.Equal([LcpOption.Mru, 4, 0x02, 0x40], p.Data.ToArray());
    }

    [Fact]
    public void Frames_without_address_and_control_are_understood()
    {
        var pair = new PppPair();
        pair.TamperClient = f => f[2..];
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
    }

    [Fact]
    public void Every_frame_we_send_has_ff03_and_a_two_octet_protocol()
    {
        var pair = UpPair();
        Assert.All(pair.Wire, w => Assert.True(w.Frame[0] == 0xFF && w.Frame[1] == 0x03 && (w.Frame[2] & 1) == 0));
    }

    internal static PppPair UpPair(int seed = 0)
    {
        var pair = new PppPair(seed: seed);
        pair.Open();
        Assert.True(pair.RunUntil(() => pair.BothReady));
        return pair;
    }

    internal static byte[] Frame(ushort protocol, byte[] information)
    {
        var frame = new byte[4 + information.Length];
        PppFrame.Write(frame, protocol, information);
        return frame;
    }

    private static bool IsIpcp(byte[] frame, PppCode code)
        => PppFrame.Parse(frame, out var f) == PppFrameStatus.Ok && f.Protocol == PppProtocol.Ipcp && f.Information[0] == (byte)code;

    private static bool IsLcp(byte[] frame, out PppCode code)
    {
        code = 0;
        if (PppFrame.Parse(frame, out var f) != PppFrameStatus.Ok || f.Protocol != PppProtocol.Lcp)
        {
            return false;
        }
        code = (PppCode)f.Information[0];
        return true;
    }
}
