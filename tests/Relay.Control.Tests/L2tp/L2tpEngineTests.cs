using System.Text;
using Relay.Control.L2tp;
using Relay.Wire.L2tp;

namespace Relay.Control.Tests.L2tp;

public class L2tpEngineTests
{
    private static readonly L2tpOptions Plain = new();

    private static L2tpOptions WithSecret(string secret, bool hide = false)
        => new() { SecretFor = _ => Encoding.UTF8.GetBytes(secret), HideAvps = hide };

    private static (ushort Tunnel, ushort Session) Establish(EnginePair pair)
    {
        var tunnel = pair.Lac.OpenTunnel(EnginePair.LnsAddress, pair.Now);
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<TunnelEstablished>().Any() && pair.LnsEvents.OfType<TunnelEstablished>().Any()),
            "tunnel did not come up");
        var session = pair.Lac.OpenSession(tunnel, pair.Now);
        Assert.NotNull(session);
        Assert.True(pair.RunUntil(() => pair.LacEvents.OfType<SessionEstablished>().Any() && pair.LnsEvents.OfType<SessionEstablished>().Any()),
            "session did not come up");
        return (tunnel, session.Value);
    }

    private static IEnumerable<L2tpMessageType> MessageTypes(EnginePair pair, bool fromLns)
    {
        foreach (var (lns, datagram) in pair.Wire)
        {
            if (lns == fromLns && L2tpControlMessage.TryParse(datagram, out var m) == L2tpParseStatus.Ok && !m.IsZeroLengthBody)
            {
                yield return m.MessageType;
            }
        }
    }

    [Fact]
    public void Lac_and_lns_complete_the_tunnel_and_incoming_call_handshakes()
    {
        var pair = new EnginePair(Plain, Plain);
        var (tunnel, session) = Establish(pair);

        Assert.Equal([L2tpMessageType.Sccrq, L2tpMessageType.Scccn, L2tpMessageType.Icrq, L2tpMessageType.Iccn], MessageTypes(pair, fromLns: false));
        Assert.Equal([L2tpMessageType.Sccrp, L2tpMessageType.Icrp], MessageTypes(pair, fromLns: true));
        var lacUp = pair.LacEvents.OfType<SessionEstablished>().Single();
        var lnsUp = pair.LnsEvents.OfType<SessionEstablished>().Single();
        Assert.Equal(lacUp.PeerTunnelId, lnsUp.TunnelId);
        Assert.Equal(lacUp.PeerSessionId, lnsUp.SessionId);
        Assert.Equal(lnsUp.PeerTunnelId, tunnel);
        Assert.Equal(lnsUp.PeerSessionId, session);
        Assert.Equal(1, pair.Lns.SessionCount);
        Assert.Equal("relay", pair.Lac.Tunnels[tunnel].PeerHostName);
    }

    [Fact]
    public void Tunnel_and_session_ids_are_random_non_zero_and_not_sequential()
    {
        var lns = new L2tpEngine(Plain, new Random(7));
        var ids = new List<ushort>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(lns.OpenTunnel(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 2000 + i), TimeSpan.Zero));
        }
        Assert.DoesNotContain((ushort)0, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.Zip(ids.Skip(1)).Count(p => p.Second == p.First + 1) < 3);
    }

    // RFC 2661 §5.1.1: with the same secret on both sides, each authenticates the other.
    [Fact]
    public void Tunnel_authentication_with_the_same_secret_succeeds_both_ways()
    {
        var pair = new EnginePair(WithSecret("s3cret"), WithSecret("s3cret"));
        Establish(pair);
        Assert.Equal(0, pair.Lns.Counters.AuthenticationFailures + pair.Lac.Counters.AuthenticationFailures);
        var challenges = pair.Wire.Count(w => HasAvp(w.Datagram, AvpType.Challenge));
        var responses = pair.Wire.Count(w => HasAvp(w.Datagram, AvpType.ChallengeResponse));
        Assert.Equal(2, challenges);
        Assert.Equal(2, responses);
    }

    [Fact]
    public void Tunnel_authentication_with_different_secrets_is_refused_with_result_4()
    {
        var pair = new EnginePair(WithSecret("lns-secret"), WithSecret("lac-secret"));
        pair.Lac.OpenTunnel(EnginePair.LnsAddress, pair.Now);
        pair.RunToQuiescence();
        Assert.Empty(pair.LacEvents.OfType<TunnelEstablished>());
        var lacClosed = Assert.Single(pair.LacEvents.OfType<TunnelClosed>());
        Assert.Equal(ResultCodes.StopNotAuthorized, lacClosed.ResultCode);
        var lnsClosed = Assert.Single(pair.LnsEvents.OfType<TunnelClosed>());
        Assert.Equal(TunnelCloseReason.Peer, lnsClosed.Reason);
        Assert.Equal(ResultCodes.StopNotAuthorized, lnsClosed.ResultCode);
        Assert.Empty(pair.Lns.Tunnels);
        Assert.Empty(pair.Lac.Tunnels);
        Assert.Equal(1, pair.Lac.Counters.AuthenticationFailures);
    }

    [Fact]
    public void Lns_with_a_secret_refuses_a_lac_without_one()
    {
        var pair = new EnginePair(WithSecret("lns-secret"), Plain);
        pair.Lac.OpenTunnel(EnginePair.LnsAddress, pair.Now);
        pair.RunToQuiescence();
        Assert.Empty(pair.LnsEvents.OfType<TunnelEstablished>());
        Assert.Equal(ResultCodes.StopNotAuthorized, Assert.Single(pair.LnsEvents.OfType<TunnelClosed>()).ResultCode);
    }

    // RFC 2661 §4.3: hidden AVPs are sent when configured and always accepted.
    [Fact]
    public void Hidden_avps_are_sent_and_understood()
    {
        var pair = new EnginePair(WithSecret("hide-me", hide: true), WithSecret("hide-me", hide: true));
        Establish(pair);
        Assert.Contains(pair.Wire, w => HasHiddenAvp(w.Datagram));
    }

    [Fact]
    public void Session_closed_by_the_lac_is_cleared_on_the_lns_and_the_tunnel_stays()
    {
        var pair = new EnginePair(Plain, Plain);
        var (tunnel, session) = Establish(pair);
        Assert.True(pair.Lac.CloseSession(tunnel, session, ResultCodes.CdnAdministrative, null, "bye", pair.Now));
        Assert.True(pair.RunUntil(() => pair.LnsEvents.OfType<SessionClosed>().Any()));
        var closed = pair.LnsEvents.OfType<SessionClosed>().Single();
        Assert.True(closed.ByPeer);
        Assert.Equal(ResultCodes.CdnAdministrative, closed.ResultCode);
        Assert.Equal("bye", closed.Message);
        Assert.Equal(0, pair.Lns.SessionCount);
        Assert.Single(pair.Lns.Tunnels);
    }

    [Fact]
    public void Tunnel_closed_by_the_lns_clears_both_sides_after_the_linger()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var lnsTunnel = pair.Lns.Tunnels.Keys.Single();
        Assert.True(pair.Lns.CloseTunnel(lnsTunnel, ResultCodes.StopShuttingDown, null, "maintenance", pair.Now));
        pair.RunUntil(() => pair.LacEvents.OfType<TunnelClosed>().Any());
        var closed = pair.LacEvents.OfType<TunnelClosed>().Single();
        Assert.Equal(TunnelCloseReason.Peer, closed.Reason);
        Assert.Equal(ResultCodes.StopShuttingDown, closed.ResultCode);
        Assert.True(pair.LacEvents.OfType<SessionClosed>().Single().ByPeer);
        // §5.8: state is kept for the full retransmission interval after StopCCN.
        pair.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(pair.Lns.Tunnels);
        pair.RunToQuiescence();
        Assert.Empty(pair.Lns.Tunnels);
        Assert.Empty(pair.Lac.Tunnels);
        Assert.Null(pair.Lns.NextDeadline());
        Assert.Null(pair.Lac.NextDeadline());
    }

    [Fact]
    public void Tunnel_closed_by_the_lac_clears_the_lns_sessions_and_both_sides_end_empty()
    {
        var pair = new EnginePair(Plain, Plain);
        var (tunnel, _) = Establish(pair);
        Assert.True(pair.Lac.CloseTunnel(tunnel, ResultCodes.StopGeneralRequest, null, "client leaving", pair.Now));
        pair.RunToQuiescence();
        var closed = Assert.Single(pair.LnsEvents.OfType<TunnelClosed>());
        Assert.Equal(TunnelCloseReason.Peer, closed.Reason);
        Assert.Equal("client leaving", closed.Message);
        Assert.True(Assert.Single(pair.LnsEvents.OfType<SessionClosed>()).ByPeer);
        Assert.Empty(pair.Lns.Tunnels);
        Assert.Empty(pair.Lac.Tunnels);
        Assert.Equal(0, pair.Lns.SessionCount);
    }

    // RFC 2661 §6.5: HELLO after a period of silence keeps the tunnel alive.
    [Fact]
    public void Hello_is_sent_after_sixty_seconds_of_silence_and_acknowledged()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        pair.Advance(TimeSpan.FromSeconds(1));
        var before = pair.Wire.Count;
        pair.Advance(TimeSpan.FromSeconds(58));
        Assert.Equal(before, pair.Wire.Count);
        pair.Advance(TimeSpan.FromSeconds(2));
        Assert.Contains(L2tpMessageType.Hello, MessageTypes(pair, fromLns: true).Concat(MessageTypes(pair, fromLns: false)));
        pair.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(pair.Lns.Tunnels);
        Assert.Single(pair.Lac.Tunnels);
    }

    [Fact]
    public void Tunnel_is_cleared_when_hello_goes_unacknowledged()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        pair.Loss = 1.0;
        pair.Advance(TimeSpan.FromSeconds(60 + 31 + 1));
        Assert.Equal(TunnelCloseReason.Timeout, Assert.Single(pair.LnsEvents.OfType<TunnelClosed>()).Reason);
        Assert.Empty(pair.Lns.Tunnels);
        Assert.Equal(0, pair.Lns.SessionCount);
    }

    [Fact]
    public void Peer_vanishing_mid_handshake_leaves_nothing_behind()
    {
        var pair = new EnginePair(Plain, Plain);
        pair.TamperLac = d => L2tpControlMessage.TryParse(d, out var m) == L2tpParseStatus.Ok && m.MessageType == L2tpMessageType.Scccn ? null : d;
        pair.Lac.OpenTunnel(EnginePair.LnsAddress, pair.Now);
        pair.RunToQuiescence();
        Assert.Empty(pair.Lns.Tunnels);
        Assert.Null(pair.Lns.NextDeadline());
        Assert.Empty(pair.LnsEvents.OfType<TunnelEstablished>());
    }

    [Fact]
    public void Session_handshake_abandoned_by_the_lac_times_out_on_the_lns()
    {
        var pair = new EnginePair(Plain, Plain);
        var tunnel = pair.Lac.OpenTunnel(EnginePair.LnsAddress, pair.Now);
        pair.RunUntil(() => pair.LacEvents.OfType<TunnelEstablished>().Any());
        pair.TamperLac = d => L2tpControlMessage.TryParse(d, out var m) == L2tpParseStatus.Ok && m.MessageType == L2tpMessageType.Iccn ? null : d;
        pair.Lac.OpenSession(tunnel, pair.Now);
        pair.Advance(TimeSpan.FromSeconds(40));
        var closed = Assert.Single(pair.LnsEvents.OfType<SessionClosed>());
        Assert.Equal(ResultCodes.CdnTimeout, closed.ResultCode);
        Assert.Equal(0, pair.Lns.SessionCount);
    }

    // RFC 2661 §4.4.3: with concurrent SCCRQs the lower Tie Breaker wins and one tunnel remains.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Concurrent_sccrqs_are_settled_by_the_tie_breaker_into_one_tunnel(int seed)
    {
        var pair = new EnginePair(Plain, Plain, seed);
        pair.Lac.OpenTunnel(EnginePair.LnsAddress, pair.Now);
        pair.Lns.OpenTunnel(EnginePair.LacAddress, pair.Now);
        pair.RunUntil(() => pair.Lns.Tunnels.Values.Any(t => t.State == TunnelState.Established), TimeSpan.FromSeconds(10));
        pair.RunToQuiescence(TimeSpan.FromSeconds(40));
        Assert.Single(pair.Lns.Tunnels);
        Assert.Single(pair.Lac.Tunnels);
        Assert.Equal(TunnelState.Established, pair.Lns.Tunnels.Values.Single().State);
        Assert.Equal(1, pair.Lns.Counters.TieBreakersLost + pair.Lac.Counters.TieBreakersLost);
        Assert.Equal(1, pair.Lns.Counters.TieBreakersWon + pair.Lac.Counters.TieBreakersWon);
    }

    [Fact]
    public void Without_tie_breakers_concurrent_sccrqs_open_two_tunnels()
    {
        var none = Plain with { SendTieBreaker = false };
        var pair = new EnginePair(none, none);
        pair.Lac.OpenTunnel(EnginePair.LnsAddress, pair.Now);
        pair.Lns.OpenTunnel(EnginePair.LacAddress, pair.Now);
        pair.RunUntil(() => pair.Lns.Tunnels.Values.Count(t => t.State == TunnelState.Established) == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(2, pair.Lac.Tunnels.Values.Count(t => t.State == TunnelState.Established));
    }

    [Fact]
    public void Tunnel_limit_refuses_an_sccrq_with_insufficient_resources()
    {
        var pair = new EnginePair(Plain with { MaxTunnels = 1 }, Plain);
        Establish(pair);
        pair.Lac.OpenTunnel(EnginePair.LnsAddress, pair.Now);
        pair.RunUntil(() => pair.LacEvents.OfType<TunnelClosed>().Any());
        var closed = pair.LacEvents.OfType<TunnelClosed>().Single();
        Assert.Equal(ResultCodes.StopGeneralError, closed.ResultCode);
        Assert.Equal(ResultCodes.ErrorInsufficientResources, closed.ErrorCode);
        Assert.Single(pair.Lns.Tunnels);
        Assert.Equal(1, pair.Lns.Counters.TunnelsRefused);
    }

    [Fact]
    public void Session_limit_refuses_an_icrq_with_a_cdn()
    {
        var pair = new EnginePair(Plain with { MaxSessionsPerTunnel = 1 }, Plain);
        var (tunnel, _) = Establish(pair);
        pair.Lac.OpenSession(tunnel, pair.Now);
        pair.RunUntil(() => pair.LacEvents.OfType<SessionClosed>().Any());
        var closed = pair.LacEvents.OfType<SessionClosed>().Single();
        Assert.Equal(ResultCodes.CdnNoFacilitiesTemporarily, closed.ResultCode);
        Assert.Equal(1, pair.Lns.SessionCount);
    }

    [Fact]
    public void Sccrq_flood_from_one_source_is_rate_limited()
    {
        var lns = new L2tpEngine(Plain with { SccrqPerSecondPerSource = 5 }, new Random(1));
        for (var i = 0; i < 50; i++)
        {
            var lac = new L2tpEngine(Plain with { Role = L2tpRole.Lac }, new Random(100 + i));
            lac.OpenTunnel(EnginePair.LnsAddress, TimeSpan.Zero);
            lns.Receive(new System.Net.IPEndPoint(EnginePair.LacAddress.Address, 30000 + i), lac.Outbox[0].Payload, TimeSpan.Zero);
        }
        Assert.Equal(10, lns.Tunnels.Count);
        Assert.Equal(40, lns.Counters.RateLimited);
    }

    [Fact]
    public void Control_message_from_another_address_is_dropped()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var lnsTunnel = pair.Lns.Tunnels.Values.Single();
        var hello = pair.Wire.Last(w => !w.FromLns).Datagram;
        pair.Lns.Receive(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("203.0.113.9"), 1701), hello, pair.Now);
        Assert.Equal(1, pair.Lns.Counters.WrongPeer);
        Assert.Equal(TunnelState.Established, lnsTunnel.State);
    }

    [Fact]
    public void Outgoing_call_requests_are_refused_with_a_cdn()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var lnsTunnel = pair.Lns.Tunnels.Values.Single();
        var ocrq = Build(lnsTunnel.LocalId, 0, L2tpMessageType.Ocrq, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt16(AvpType.AssignedSessionId, 77, true);
            w.WriteUInt32(AvpType.CallSerialNumber, 1, true);
        });
        InjectFromLac(pair, ocrq);
        Assert.Equal(1, pair.Lns.Counters.OutgoingCallsRefused);
        Assert.Contains(pair.Wire, w => w.FromLns && L2tpControlMessage.TryParse(w.Datagram, out var m) == L2tpParseStatus.Ok
            && m.MessageType == L2tpMessageType.Cdn && m.Header.SessionId == 77);
    }

    // RFC 2661 §4.1: an unrecognised AVP with M=1 in a session message ends the session.
    [Fact]
    public void Unknown_mandatory_avp_in_a_session_message_tears_down_only_the_session()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var lnsTunnel = pair.Lns.Tunnels.Values.Single();
        var session = lnsTunnel.Sessions.Values.Single();
        var wen = Build(lnsTunnel.LocalId, session.LocalId, L2tpMessageType.Wen, (ref L2tpControlMessageWriter w) =>
            w.WriteAvp(200, [1, 2], mandatory: true));
        InjectFromLac(pair, wen);
        var closed = Assert.Single(pair.LnsEvents.OfType<SessionClosed>());
        Assert.Equal(ResultCodes.ErrorUnknownMandatoryAvp, closed.ErrorCode);
        Assert.Equal(TunnelState.Established, lnsTunnel.State);
    }

    [Fact]
    public void Unknown_mandatory_avp_in_a_tunnel_message_tears_down_the_tunnel()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var lnsTunnel = pair.Lns.Tunnels.Values.Single();
        var hello = Build(lnsTunnel.LocalId, 0, L2tpMessageType.Hello, (ref L2tpControlMessageWriter w) =>
            w.WriteAvp(4242, [1], mandatory: true, vendorId: 9));
        InjectFromLac(pair, hello);
        var closed = Assert.Single(pair.LnsEvents.OfType<TunnelClosed>());
        Assert.Equal(ResultCodes.ErrorUnknownMandatoryAvp, closed.ErrorCode);
        Assert.Equal(TunnelState.Closing, lnsTunnel.State);
    }

    [Fact]
    public void Unknown_avp_without_the_m_bit_is_ignored()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var lnsTunnel = pair.Lns.Tunnels.Values.Single();
        var hello = Build(lnsTunnel.LocalId, 0, L2tpMessageType.Hello, (ref L2tpControlMessageWriter w) =>
            w.WriteAvp(4242, [1], mandatory: false, vendorId: 9));
        InjectFromLac(pair, hello);
        Assert.Empty(pair.LnsEvents.OfType<TunnelClosed>());
    }

    // Interop: a peer that byte-swaps its Result Code (1 arrives as 0x0100).
    [Fact]
    public void Byte_swapped_result_code_in_a_cdn_is_read_as_meant()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var lnsTunnel = pair.Lns.Tunnels.Values.Single();
        var session = lnsTunnel.Sessions.Values.Single();
        var cdn = Build(lnsTunnel.LocalId, session.LocalId, L2tpMessageType.Cdn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteAvp(AvpType.ResultCode, [0x03, 0x00], mandatory: true);
            w.WriteUInt16(AvpType.AssignedSessionId, session.PeerId, true);
        });
        InjectFromLac(pair, cdn);
        Assert.Equal(ResultCodes.CdnAdministrative, Assert.Single(pair.LnsEvents.OfType<SessionClosed>()).ResultCode);
    }

    // Interop: a StopCCN with tunnel id 0 in its header still finds the tunnel.
    [Fact]
    public void Stopccn_with_tunnel_id_zero_closes_the_tunnel_it_names()
    {
        var pair = new EnginePair(Plain, Plain);
        var (lacTunnel, _) = Establish(pair);
        var stop = Build(0, 0, L2tpMessageType.StopCcn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt16(AvpType.AssignedTunnelId, lacTunnel, true);
            w.WriteResultCode(ResultCodes.StopGeneralRequest);
        });
        InjectFromLac(pair, stop);
        Assert.Equal(TunnelCloseReason.Peer, Assert.Single(pair.LnsEvents.OfType<TunnelClosed>()).Reason);
    }

    [Fact]
    public void Malformed_datagrams_are_counted_by_reason_and_change_nothing()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var good = pair.Wire.First(w => !w.FromLns).Datagram;
        var from = EnginePair.LacAddress;
        for (var cut = 0; cut < good.Length; cut++)
        {
            pair.Lns.Receive(from, good.AsSpan(0, cut), pair.Now);
        }
        var wrongVersion = (byte[])good.Clone();
        wrongVersion[1] = 0x03;
        pair.Lns.Receive(from, wrongVersion, pair.Now);
        Assert.True(pair.Lns.Counters.MalformedTotal >= good.Length);
        Assert.Equal(1, pair.Lns.Counters.Malformed[(int)L2tpParseStatus.UnsupportedVersion]);
        Assert.Equal(TunnelState.Established, pair.Lns.Tunnels.Values.Single().State);
    }

    [Fact]
    public void Length_field_beyond_the_datagram_is_counted_as_malformed()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var hello = Build(pair.Lns.Tunnels.Keys.Single(), 0, L2tpMessageType.Hello, (ref L2tpControlMessageWriter w) => { });
        hello[3] += 10;
        pair.Lns.Receive(EnginePair.LacAddress, hello, pair.Now);
        Assert.Equal(1, pair.Lns.Counters.Malformed[(int)L2tpParseStatus.LengthExceedsDatagram]);
        Assert.Equal(TunnelState.Established, pair.Lns.Tunnels.Values.Single().State);
    }

    // RFC 2661 §5.8: a message far ahead of the expected Ns is outside the window: dropped, counted.
    [Fact]
    public void Message_outside_the_receive_window_is_dropped_and_counted()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var lnsTunnel = pair.Lns.Tunnels.Values.Single();
        var hello = Build(lnsTunnel.LocalId, 0, L2tpMessageType.Hello, (ref L2tpControlMessageWriter w) => { });
        hello[8] = 0x40; // Ns 0x4000: far beyond the 16-message window
        pair.Lns.Receive(EnginePair.LacAddress, hello, pair.Now);
        Assert.Equal(1, pair.Lns.Counters.OutOfWindow);
        Assert.Equal(TunnelState.Established, lnsTunnel.State);
    }

    [Fact]
    public void Retransmitted_message_is_acknowledged_again_and_counted_as_duplicate()
    {
        var pair = new EnginePair(Plain, Plain);
        Establish(pair);
        var iccn = pair.Wire.Last(w => !w.FromLns && !(w.Datagram.Length == 12)).Datagram;
        var before = pair.Wire.Count;
        pair.Lns.Receive(EnginePair.LacAddress, iccn, pair.Now);
        pair.RunUntil(() => false, TimeSpan.FromSeconds(1));
        Assert.Equal(1, pair.Lns.Counters.Duplicates);
        Assert.Contains(pair.Wire.Skip(before), w => w.FromLns && w.Datagram.Length == 12);
        Assert.Single(pair.LnsEvents.OfType<SessionEstablished>());
    }

    private delegate void AvpWriter(ref L2tpControlMessageWriter writer);

    /// <summary>A message from the LAC side, with Ns/Nr taken from the LAC's live channel.</summary>
    private static byte[] Build(ushort tunnelId, ushort sessionId, L2tpMessageType type, AvpWriter avps)
    {
        var buffer = new byte[512];
        var w = new L2tpControlMessageWriter(buffer, tunnelId, sessionId, 0, 0);
        w.WriteMessageType(type);
        avps(ref w);
        Assert.True(w.TryFinish(out var length));
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Sends a hand-built message through the LAC's reliable channel so Ns/Nr are right.</summary>
    private static void InjectFromLac(EnginePair pair, byte[] message)
    {
        var tunnel = pair.Lac.Tunnels.Values.Single();
        tunnel.Channel.Enqueue(message);
        var output = new List<byte[]>();
        tunnel.Channel.Poll(pair.Now, output);
        foreach (var d in output)
        {
            pair.Lns.Receive(EnginePair.LacAddress, d, pair.Now);
        }
        pair.RunUntil(() => false, TimeSpan.FromSeconds(2));
    }

    private static bool HasAvp(byte[] datagram, AvpType type)
    {
        if (L2tpControlMessage.TryParse(datagram, out var m) != L2tpParseStatus.Ok)
        {
            return false;
        }
        foreach (var avp in m.Avps)
        {
            if (avp.VendorId == 0 && avp.Type == type)
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasHiddenAvp(byte[] datagram)
    {
        if (L2tpControlMessage.TryParse(datagram, out var m) != L2tpParseStatus.Ok)
        {
            return false;
        }
        foreach (var avp in m.Avps)
        {
            if (avp.IsHidden)
            {
                return true;
            }
        }
        return false;
    }
}
