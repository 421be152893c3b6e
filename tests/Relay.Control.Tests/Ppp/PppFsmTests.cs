using Relay.Control.Ppp;
using Relay.Wire.Ppp;
using S = Relay.Control.Ppp.PppFsmState;

namespace Relay.Control.Tests.Ppp;

/// <summary>
/// The state transition table of RFC 1661 §4.1, row by row, with a stub negotiator. Actions are
/// observed as what the host sees: tlu/tld/tls/tlf and the packets sent (scr, sca, scn, str,
/// sta, scj). irc/zrc show in the restart counter.
/// </summary>
public sealed class PppFsmTests
{
    public static TheoryData<S, string, string, S> Table => new()
    {
        // Up, Down (§4.3)
        { S.Initial, "Up", "", S.Closed },
        { S.Starting, "Up", "scr", S.RequestSent },
        { S.Closed, "Down", "", S.Initial },
        { S.Stopped, "Down", "tls", S.Starting },
        { S.Closing, "Down", "", S.Initial },
        { S.Stopping, "Down", "", S.Starting },
        { S.RequestSent, "Down", "", S.Starting },
        { S.AckReceived, "Down", "", S.Starting },
        { S.AckSent, "Down", "", S.Starting },
        { S.Opened, "Down", "tld", S.Starting },
        // Open
        { S.Initial, "Open", "tls", S.Starting },
        { S.Starting, "Open", "", S.Starting },
        { S.Closed, "Open", "scr", S.RequestSent },
        { S.Stopped, "Open", "", S.Stopped },
        { S.Closing, "Open", "", S.Stopping },
        { S.Stopping, "Open", "", S.Stopping },
        { S.RequestSent, "Open", "", S.RequestSent },
        { S.AckReceived, "Open", "", S.AckReceived },
        { S.AckSent, "Open", "", S.AckSent },
        { S.Opened, "Open", "", S.Opened },
        // Close
        { S.Initial, "Close", "", S.Initial },
        { S.Starting, "Close", "tlf", S.Initial },
        { S.Closed, "Close", "", S.Closed },
        { S.Stopped, "Close", "", S.Closed },
        { S.Closing, "Close", "", S.Closing },
        { S.Stopping, "Close", "", S.Closing },
        { S.RequestSent, "Close", "str", S.Closing },
        { S.AckReceived, "Close", "str", S.Closing },
        { S.AckSent, "Close", "str", S.Closing },
        { S.Opened, "Close", "tld,str", S.Closing },
        // TO+, TO-
        { S.Closing, "TO+", "str", S.Closing },
        { S.Stopping, "TO+", "str", S.Stopping },
        { S.RequestSent, "TO+", "scr", S.RequestSent },
        { S.AckReceived, "TO+", "scr", S.RequestSent },
        { S.AckSent, "TO+", "scr", S.AckSent },
        { S.Closing, "TO-", "tlf", S.Closed },
        { S.Stopping, "TO-", "tlf", S.Stopped },
        { S.RequestSent, "TO-", "tlf", S.Stopped },
        { S.AckReceived, "TO-", "tlf", S.Stopped },
        { S.AckSent, "TO-", "tlf", S.Stopped },
        // RCR+
        { S.Closed, "RCR+", "sta", S.Closed },
        { S.Stopped, "RCR+", "scr,sca", S.AckSent },
        { S.Closing, "RCR+", "", S.Closing },
        { S.Stopping, "RCR+", "", S.Stopping },
        { S.RequestSent, "RCR+", "sca", S.AckSent },
        { S.AckReceived, "RCR+", "sca,tlu", S.Opened },
        { S.AckSent, "RCR+", "sca", S.AckSent },
        { S.Opened, "RCR+", "tld,scr,sca", S.AckSent },
        // RCR-
        { S.Closed, "RCR-", "sta", S.Closed },
        { S.Stopped, "RCR-", "scr,scn", S.RequestSent },
        { S.Closing, "RCR-", "", S.Closing },
        { S.Stopping, "RCR-", "", S.Stopping },
        { S.RequestSent, "RCR-", "scn", S.RequestSent },
        { S.AckReceived, "RCR-", "scn", S.AckReceived },
        { S.AckSent, "RCR-", "scn", S.RequestSent },
        { S.Opened, "RCR-", "tld,scr,scn", S.RequestSent },
        // RCA (Ack-Rcvd and Opened: see Second_reply_to_one_request_is_discarded)
        { S.Closed, "RCA", "sta", S.Closed },
        { S.Stopped, "RCA", "sta", S.Stopped },
        { S.Closing, "RCA", "", S.Closing },
        { S.Stopping, "RCA", "", S.Stopping },
        { S.RequestSent, "RCA", "", S.AckReceived },
        { S.AckSent, "RCA", "tlu", S.Opened },
        // RCN
        { S.Closed, "RCN", "sta", S.Closed },
        { S.Stopped, "RCN", "sta", S.Stopped },
        { S.Closing, "RCN", "", S.Closing },
        { S.Stopping, "RCN", "", S.Stopping },
        { S.RequestSent, "RCN", "scr", S.RequestSent },
        { S.AckSent, "RCN", "scr", S.AckSent },
        // RTR
        { S.Closed, "RTR", "sta", S.Closed },
        { S.Stopped, "RTR", "sta", S.Stopped },
        { S.Closing, "RTR", "sta", S.Closing },
        { S.Stopping, "RTR", "sta", S.Stopping },
        { S.RequestSent, "RTR", "sta", S.RequestSent },
        { S.AckReceived, "RTR", "sta", S.RequestSent },
        { S.AckSent, "RTR", "sta", S.RequestSent },
        { S.Opened, "RTR", "tld,sta", S.Stopping },
        // RTA
        { S.Closed, "RTA", "", S.Closed },
        { S.Stopped, "RTA", "", S.Stopped },
        { S.Closing, "RTA", "tlf", S.Closed },
        { S.Stopping, "RTA", "tlf", S.Stopped },
        { S.RequestSent, "RTA", "", S.RequestSent },
        { S.AckReceived, "RTA", "", S.RequestSent },
        { S.AckSent, "RTA", "", S.AckSent },
        { S.Opened, "RTA", "tld,scr", S.RequestSent },
        // RUC
        { S.Closed, "RUC", "scj", S.Closed },
        { S.Stopped, "RUC", "scj", S.Stopped },
        { S.Closing, "RUC", "scj", S.Closing },
        { S.Stopping, "RUC", "scj", S.Stopping },
        { S.RequestSent, "RUC", "scj", S.RequestSent },
        { S.AckReceived, "RUC", "scj", S.AckReceived },
        { S.AckSent, "RUC", "scj", S.AckSent },
        { S.Opened, "RUC", "scj", S.Opened },
        // RXJ+
        { S.Closed, "RXJ+", "", S.Closed },
        { S.Stopped, "RXJ+", "", S.Stopped },
        { S.Closing, "RXJ+", "", S.Closing },
        { S.Stopping, "RXJ+", "", S.Stopping },
        { S.RequestSent, "RXJ+", "", S.RequestSent },
        { S.AckReceived, "RXJ+", "", S.RequestSent },
        { S.AckSent, "RXJ+", "", S.AckSent },
        { S.Opened, "RXJ+", "", S.Opened },
        // RXJ-
        { S.Closed, "RXJ-", "tlf", S.Closed },
        { S.Stopped, "RXJ-", "tlf", S.Stopped },
        { S.Closing, "RXJ-", "tlf", S.Closed },
        { S.Stopping, "RXJ-", "tlf", S.Stopped },
        { S.RequestSent, "RXJ-", "tlf", S.Stopped },
        { S.AckReceived, "RXJ-", "tlf", S.Stopped },
        { S.AckSent, "RXJ-", "tlf", S.Stopped },
        { S.Opened, "RXJ-", "tld,str", S.Stopping },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Follows_the_rfc1661_state_transition_table(S from, string @event, string actions, S to)
    {
        // RFC 1661 §4.1.
        var t = new FsmHarness();
        t.Reach(from);
        Assert.Equal(from, t.Fsm.State);
        t.Actions.Clear();
        t.Apply(@event);
        Assert.Equal(actions, string.Join(",", t.Actions));
        Assert.Equal(to, t.Fsm.State);
    }

    [Fact]
    public void Restart_counter_is_initialised_to_max_configure_then_max_terminate()
    {
        // §4.4 irc; §4.6 Max-Configure 10, Max-Terminate 2. scr/str decrement it.
        var t = new FsmHarness();
        t.Reach(S.RequestSent);
        Assert.Equal(9, t.Fsm.RestartCount);
        t.Fsm.Close(t.Now);
        Assert.Equal(1, t.Fsm.RestartCount);
    }

    [Fact]
    public void Terminate_request_in_opened_zeroes_the_restart_counter()
    {
        // §4.4 zrc: one restart period in Stopping, then TO- → tlf.
        var t = new FsmHarness();
        t.Reach(S.Opened);
        t.Apply("RTR");
        Assert.Equal(0, t.Fsm.RestartCount);
        Assert.Equal(t.Now + TimeSpan.FromSeconds(3), t.Fsm.Deadline);
        t.Actions.Clear();
        t.Timeout();
        Assert.Equal("tlf", string.Join(",", t.Actions));
        Assert.Equal(S.Stopped, t.Fsm.State);
        Assert.Null(t.Fsm.Deadline);
    }

    [Fact]
    public void Timer_runs_only_in_the_states_that_need_it()
    {
        // §4.6: the restart timer runs in Closing, Stopping, Req-Sent, Ack-Rcvd, Ack-Sent.
        foreach (var state in Enum.GetValues<S>())
        {
            var t = new FsmHarness();
            t.Reach(state);
            var running = state is S.Closing or S.Stopping or S.RequestSent or S.AckReceived or S.AckSent;
            Assert.Equal(running, t.Fsm.Deadline is not null);
        }
    }

    [Fact]
    public void A_reply_with_another_identifier_is_silently_discarded()
    {
        // §5.2–5.4: the Identifier must match the last Configure-Request.
        var t = new FsmHarness();
        t.Reach(S.RequestSent);
        t.Actions.Clear();
        t.Receive(PppCode.ConfigureAck, (byte)(t.LastRequestId + 1), t.LastRequestOptions);
        t.Receive(PppCode.ConfigureNak, (byte)(t.LastRequestId - 1), []);
        Assert.Empty(t.Actions);
        Assert.Equal(S.RequestSent, t.Fsm.State);
        Assert.Equal(2, t.Fsm.Discarded);
    }

    [Fact]
    public void An_ack_whose_options_differ_from_the_request_is_discarded()
    {
        // §5.2: the options of a Configure-Ack must exactly match those of the last request.
        var t = new FsmHarness();
        t.Reach(S.RequestSent);
        t.Receive(PppCode.ConfigureAck, t.LastRequestId, [LcpOption.Mru, 4, 0x05, 0xDC]);
        Assert.Equal(S.RequestSent, t.Fsm.State);
    }

    [Fact]
    public void Second_reply_to_one_request_is_discarded()
    {
        // Every scr carries a new Identifier, so a second reply with the same Identifier is a
        // duplicate; taking it would restart an Opened link (RCA in Ack-Rcvd/Opened, the "x" cases).
        var t = new FsmHarness();
        t.Reach(S.Opened);
        t.Actions.Clear();
        t.Receive(PppCode.ConfigureAck, t.LastRequestId, t.LastRequestOptions);
        Assert.Equal(S.Opened, t.Fsm.State);
        Assert.Empty(t.Actions);
    }

    [Fact]
    public void Naks_become_rejects_after_max_failure()
    {
        // §4.6 Max-Failure 5.
        var t = new FsmHarness();
        t.Reach(S.RequestSent);
        t.Negotiator.Accept = false;
        var codes = new List<PppCode>();
        for (var i = 0; i < 7; i++)
        {
            t.Receive(PppCode.ConfigureRequest, (byte)i, [LcpOption.Mru, 4, 0, 100]);
            codes.Add(t.SentCodes[^1]);
        }
        Assert.Equal([PppCode.ConfigureNak, PppCode.ConfigureNak, PppCode.ConfigureNak, PppCode.ConfigureNak, PppCode.ConfigureNak,
            PppCode.ConfigureReject, PppCode.ConfigureReject], codes);
    }

    [Fact]
    public void Configure_requests_carry_a_new_identifier_each_time()
    {
        var t = new FsmHarness();
        t.Reach(S.RequestSent);
        var first = t.LastRequestId;
        t.Timeout();
        Assert.NotEqual(first, t.LastRequestId);
    }

    [Fact]
    public void Malformed_options_in_a_request_are_discarded()
    {
        var t = new FsmHarness();
        t.Reach(S.RequestSent);
        t.Actions.Clear();
        t.Receive(PppCode.ConfigureRequest, 1, [LcpOption.Mru, 9, 0]);
        Assert.Empty(t.Actions);
        Assert.Equal(1, t.Fsm.Discarded);
    }

    [Fact]
    public void Packets_before_the_lower_layer_is_up_are_discarded()
    {
        var t = new FsmHarness();
        t.Fsm.Open(t.Now);
        t.Actions.Clear();
        t.Receive(PppCode.ConfigureRequest, 1, []);
        Assert.Empty(t.Actions);
        Assert.Equal(S.Starting, t.Fsm.State);
    }

    private sealed class StubNegotiator : IPppNegotiator
    {
        public bool Accept { get; set; } = true;

        public void Reset()
        {
        }

        public void WriteRequest(ref PppControlWriter writer) => writer.WriteUInt16Option(LcpOption.Mru, 1400);

        public void JudgeRequest(ReadOnlySpan<byte> options, ConfigureVerdicts verdicts)
        {
            if (Accept)
            {
                return;
            }
            foreach (var option in new PppOptionReader(options))
            {
                verdicts.Nak(option, (ushort)1400);
            }
        }

        public void CommitPeerRequest()
        {
        }

        public void ReceiveAck(ReadOnlySpan<byte> options)
        {
        }

        public void ReceiveNak(ReadOnlySpan<byte> options)
        {
        }

        public void ReceiveReject(ReadOnlySpan<byte> options)
        {
        }
    }

    private sealed class FsmHarness : IPppFsmHost
    {
        public FsmHarness()
        {
            Fsm = new PppFsm(PppProtocol.Lcp, Negotiator, this, new PppOptions(), 1);
        }

        public StubNegotiator Negotiator { get; } = new();

        public PppFsm Fsm { get; }

        public TimeSpan Now { get; private set; }

        public List<string> Actions { get; } = [];

        public List<PppCode> SentCodes { get; } = [];

        public byte LastRequestId { get; private set; }

        public byte[] LastRequestOptions { get; private set; } = [];

        public void Reach(S state)
        {
            switch (state)
            {
                case S.Initial:
                    break;
                case S.Starting:
                    Fsm.Open(Now);
                    break;
                case S.Closed:
                    Fsm.Up(Now);
                    break;
                case S.RequestSent:
                    Fsm.Open(Now);
                    Fsm.Up(Now);
                    break;
                case S.AckReceived:
                    Reach(S.RequestSent);
                    Apply("RCA");
                    break;
                case S.AckSent:
                    Reach(S.RequestSent);
                    Apply("RCR+");
                    break;
                case S.Opened:
                    Reach(S.AckSent);
                    Apply("RCA");
                    break;
                case S.Closing:
                    Reach(S.RequestSent);
                    Fsm.Close(Now);
                    break;
                case S.Stopping:
                    Reach(S.Opened);
                    Apply("RXJ-");
                    break;
                case S.Stopped:
                    Reach(S.RequestSent);
                    Apply("TO-");
                    break;
            }
        }

        public void Apply(string @event)
        {
            switch (@event)
            {
                case "Up": Fsm.Up(Now); break;
                case "Down": Fsm.Down(Now); break;
                case "Open": Fsm.Open(Now); break;
                case "Close": Fsm.Close(Now); break;
                case "TO+":
                    Assert.True(Fsm.RestartCount > 0);
                    Timeout();
                    break;
                case "TO-":
                    while (Fsm.RestartCount > 0)
                    {
                        Timeout();
                    }
                    Actions.Clear();
                    Timeout();
                    break;
                case "RCR+":
                    Negotiator.Accept = true;
                    Receive(PppCode.ConfigureRequest, 0x70, [LcpOption.Mru, 4, 0x05, 0x78]);
                    break;
                case "RCR-":
                    Negotiator.Accept = false;
                    Receive(PppCode.ConfigureRequest, 0x71, [LcpOption.Mru, 4, 0x00, 0x10]);
                    Negotiator.Accept = true;
                    break;
                case "RCA": Receive(PppCode.ConfigureAck, LastRequestId, LastRequestOptions); break;
                case "RCN": Receive(PppCode.ConfigureNak, LastRequestId, [LcpOption.Mru, 4, 0x05, 0x00]); break;
                case "RTR": Receive(PppCode.TerminateRequest, 0x72, []); break;
                case "RTA": Receive(PppCode.TerminateAck, 0x73, []); break;
                case "RUC": Receive((PppCode)0x30, 0x74, [1, 2]); break;
                case "RXJ+": Receive(PppCode.CodeReject, 0x75, [(byte)PppCode.EchoRequest, 1, 0, 8, 0, 0, 0, 0]); break;
                case "RXJ-": Receive(PppCode.CodeReject, 0x76, [(byte)PppCode.ConfigureRequest, 1, 0, 4]); break;
                default: throw new ArgumentException(@event);
            }
        }

        public void Timeout()
        {
            Now = Fsm.Deadline ?? throw new InvalidOperationException("no timer");
            Fsm.Tick(Now);
        }

        public void Receive(PppCode code, byte identifier, byte[] data)
        {
            var packet = new byte[4 + data.Length];
            packet[0] = (byte)code;
            packet[1] = identifier;
            packet[3] = (byte)packet.Length;
            data.CopyTo(packet, 4);
            Fsm.Receive(packet, Now);
        }

        public void SendControl(ushort protocol, ReadOnlySpan<byte> packet)
        {
            var code = (PppCode)packet[0];
            SentCodes.Add(code);
            Actions.Add(code switch
            {
                PppCode.ConfigureRequest => "scr",
                PppCode.ConfigureAck => "sca",
                PppCode.ConfigureNak or PppCode.ConfigureReject => "scn",
                PppCode.TerminateRequest => "str",
                PppCode.TerminateAck => "sta",
                PppCode.CodeReject => "scj",
                _ => code.ToString(),
            });
            if (code == PppCode.ConfigureRequest)
            {
                LastRequestId = packet[1];
                LastRequestOptions = packet[4..].ToArray();
            }
        }

        public void ThisLayerUp(PppFsm fsm, TimeSpan now) => Actions.Add("tlu");

        public void ThisLayerDown(PppFsm fsm, TimeSpan now) => Actions.Add("tld");

        public void ThisLayerStarted(PppFsm fsm, TimeSpan now) => Actions.Add("tls");

        public void ThisLayerFinished(PppFsm fsm, TimeSpan now) => Actions.Add("tlf");

        public void ReceiveExtended(PppFsm fsm, PppControlPacket packet, TimeSpan now) => Actions.Add("rxr");
    }
}
