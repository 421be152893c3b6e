using System.Net;
using System.Security.Cryptography;
using Relay.Control.Ppp.Authentication;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp;

/// <summary>
/// The PPP of one L2TP session as a sans-I/O engine, for the LNS (<see cref="PppRole.Authenticator"/>)
/// and the client (<see cref="PppRole.Peer"/>): the phases of RFC 1661 §3.2, Dead → Establish
/// (LCP) → Authenticate (PAP/CHAP) → Network (IPCP) → Terminate. It takes PPP frames as an L2TP
/// data payload carries them (with or without FF03) with the time they arrived, and the time on
/// <see cref="Tick"/>; frames to send accumulate in <see cref="Outbox"/> (always FF03 and a
/// two-octet Protocol) and what happened in <see cref="Events"/>. It owns no socket, clock or timer.
/// </summary>
public sealed partial class PppSession : IPppFsmHost, IAuthenticationHost
{
    private readonly PppOptions _options;
    private readonly Random? _random;
    private readonly LcpNegotiator _lcpOptions;
    private readonly IpcpNegotiator _ipcpOptions;
    private readonly PppFsm _lcp;
    private readonly PppFsm _ipcp;
    private readonly IPppAuthenticator? _authenticator;
    private long _lastAuthRequest;
    private AuthenticationProtocol? _auth;
    private string? _pendingClose;
    private string? _terminateReason;
    private TimeSpan? _echoDeadline;
    private int _echoUnanswered;

    /// <param name="options">Role, names, credentials, limits, addresses.</param>
    /// <param name="assignAddress">
    /// Authenticator: the peer's address, asked once when IPCP first needs it (after
    /// <see cref="Authenticated"/>); null = none available, the link terminates. Ignored for the peer.
    /// </param>
    /// <param name="random">A seeded generator for reproducible tests; null = cryptographic randomness.</param>
    public PppSession(PppOptions options, Func<IPAddress?>? assignAddress = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = random;
        _authenticator = options.Authenticator ?? (options.Credentials is { } store ? new SecretsAuthenticator(store) : null);
        _lcpOptions = new LcpNegotiator(options, NextRandomUInt32, RequestClose, Counters);
        _ipcpOptions = new IpcpNegotiator(options, assignAddress ?? (static () => null), RequestClose);
        _lcp = new PppFsm(PppProtocol.Lcp, _lcpOptions, this, options, NextRandomByte());
        _ipcp = new PppFsm(PppProtocol.Ipcp, _ipcpOptions, this, options, NextRandomByte());
    }

    /// <summary>Frames to send (FF03, Protocol, Information), in order. The caller drains it after every call.</summary>
    public List<byte[]> Outbox { get; } = new();

    /// <summary>What happened, in order. The caller drains it after every call.</summary>
    public Queue<PppEvent> Events { get; } = new();

    public PppCounters Counters { get; } = new();

    public PppRole Role => _options.Role;

    public PppPhase Phase { get; private set; } = PppPhase.Dead;

    public PppFsmState LcpState => _lcp.State;

    public PppFsmState IpcpState => _ipcp.State;

    /// <summary>True once <see cref="Terminated"/> was raised: the session takes no more input and runs no timer.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Our Magic-Number as LCP acknowledged it (0 when not negotiated).</summary>
    public uint LocalMagic => _lcpOptions.LocalMagic;

    /// <summary>Starts LCP: the L2TP session is up (Up) and the link is allowed (Open), RFC 1661 §4.3.</summary>
    public void Open(TimeSpan now)
    {
        if (IsFinished)
        {
            return;
        }
        Phase = PppPhase.Establish;
        _lcp.Open(now);
        _lcp.Up(now);
        Settle(now);
    }

    /// <summary>Closes the link: LCP Terminate-Request, then <see cref="Terminated"/> with <paramref name="reason"/>.</summary>
    public void Close(string reason, TimeSpan now)
    {
        if (IsFinished)
        {
            return;
        }
        CloseLink(reason, now);
        Settle(now);
    }

    /// <summary>The L2TP session went away: no Terminate exchange is possible (RFC 1661 §4.3 Down).</summary>
    public void LowerLayerDown(string reason, TimeSpan now)
    {
        if (IsFinished)
        {
            return;
        }
        _terminateReason ??= reason;
        _lcp.Down(now);
        Finish();
    }

    /// <summary>Takes one PPP frame, as carried in an L2TP data message payload.</summary>
    public void Receive(ReadOnlySpan<byte> frame, TimeSpan now)
    {
        if (IsFinished)
        {
            return;
        }
        if (PppFrame.Parse(frame, out var parsed) != PppFrameStatus.Ok)
        {
            Counters.MalformedFrames++;
            return;
        }
        Dispatch(parsed.Protocol, parsed.Information, now);
        Settle(now);
    }

    /// <summary>
    /// Authenticator: the back end's late verdict for the request announced by
    /// <see cref="AuthenticationPending"/>; the parked exchange answers the peer and goes on.
    /// False, and nothing done, when that request is no longer awaited: the session finished,
    /// LCP restarted, the authentication timed out, or it was answered already.
    /// </summary>
    public bool CompleteAuthentication(long requestId, PppAuthVerdict verdict, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (IsFinished || _auth is not { } auth || !auth.Complete(requestId, verdict, now))
        {
            return false;
        }
        Settle(now);
        return true;
    }

    /// <summary>Runs every timer due at <paramref name="now"/>: restart timers, authentication retransmission, echo.</summary>
    public void Tick(TimeSpan now)
    {
        if (IsFinished)
        {
            return;
        }
        _lcp.Tick(now);
        _ipcp.Tick(now);
        _auth?.Tick(now);
        TickEcho(now);
        Settle(now);
    }

    /// <summary>When <see cref="Tick"/> must next run, or null when no timer is pending.</summary>
    public TimeSpan? NextDeadline()
    {
        if (IsFinished)
        {
            return null;
        }
        return Earliest(Earliest(_lcp.Deadline, _ipcp.Deadline), Earliest(_auth?.Deadline, _echoDeadline));
    }

    /// <summary>
    /// Sends an LCP Protocol-Reject (RFC 1661 §5.7) for a frame of <paramref name="protocol"/> whose
    /// Information field is <paramref name="information"/>; only while LCP is Opened, as §5.7 requires.
    /// </summary>
    public void RejectProtocol(ushort protocol, ReadOnlySpan<byte> information)
    {
        if (IsFinished || _lcp.State != PppFsmState.Opened)
        {
            return;
        }
        // The rejected Information is truncated to fit the peer's MRU (§5.7).
        var room = Math.Max(0, _lcpOptions.PeerMru - PppControlPacket.HeaderLength - 2);
        var data = new byte[2 + Math.Min(room, information.Length)];
        data[0] = (byte)(protocol >> 8);
        data[1] = (byte)protocol;
        information[..(data.Length - 2)].CopyTo(data.AsSpan(2));
        _lcp.SendPacket(PppCode.ProtocolReject, _lcp.NextIdentifier(), data);
        Counters.ProtocolRejectsSent++;
    }

    private void Dispatch(ushort protocol, ReadOnlySpan<byte> information, TimeSpan now)
    {
        switch (protocol)
        {
            case PppProtocol.Lcp:
                if (_lcp.State == PppFsmState.Opened && information.Length > 0 && information[0] == (byte)PppCode.TerminateRequest)
                {
                    _terminateReason ??= "terminated by the peer";
                }
                _lcp.Receive(information, now);
                break;
            case PppProtocol.Pap:
            case PppProtocol.Chap:
                if (_auth is not null && _auth.Protocol == protocol && _lcp.State == PppFsmState.Opened)
                {
                    _auth.Receive(information, now);
                }
                else
                {
                    Counters.DiscardedOutOfPhase++;
                }
                break;
            case PppProtocol.Ipcp:
                if (Phase == PppPhase.Network)
                {
                    _ipcp.Receive(information, now);
                }
                else
                {
                    Counters.DiscardedOutOfPhase++;
                }
                break;
            case PppProtocol.Ccp:
                Counters.CcpFrames++;
                RejectProtocol(protocol, information);
                break;
            case PppProtocol.Ipv6cp:
                Counters.Ipv6cpFrames++;
                RejectProtocol(protocol, information);
                break;
            case PppProtocol.Ipv4 when Phase == PppPhase.Network:
                Counters.DataFrames++;
                break;
            default:
                if (_lcp.State == PppFsmState.Opened)
                {
                    RejectProtocol(protocol, information);
                }
                else
                {
                    Counters.DiscardedOutOfPhase++;
                }
                break;
        }
    }

    /// <summary>Applies closes requested from inside a protocol engine, once it has returned.</summary>
    private void Settle(TimeSpan now)
    {
        while (_pendingClose is { } reason && !IsFinished)
        {
            _pendingClose = null;
            CloseLink(reason, now);
        }
    }

    private void RequestClose(string reason) => _pendingClose ??= reason;

    private void CloseLink(string reason, TimeSpan now)
    {
        _terminateReason ??= reason;
        if (Phase != PppPhase.Dead)
        {
            Phase = PppPhase.Terminate;
        }
        _lcp.Close(now, reason);
        if (_lcp.State is PppFsmState.Closed or PppFsmState.Initial && !IsFinished)
        {
            // Nothing to exchange (never opened, or already stopped): finished now.
            Finish();
        }
    }

    private void Finish()
    {
        if (IsFinished)
        {
            return;
        }
        _auth?.Stop();
        _echoDeadline = null;
        Phase = PppPhase.Dead;
        IsFinished = true;
        Events.Enqueue(new Terminated(_terminateReason ?? "link finished"));
    }

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b)
        => a is null ? b : b is null ? a : a < b ? a : b;

    private void FillRandom(Span<byte> destination)
    {
        if (_random is null)
        {
            RandomNumberGenerator.Fill(destination);
        }
        else
        {
            _random.NextBytes(destination);
        }
    }

    private byte NextRandomByte()
    {
        Span<byte> b = stackalloc byte[1];
        FillRandom(b);
        return b[0];
    }

    private uint NextRandomUInt32()
    {
        Span<byte> b = stackalloc byte[4];
        FillRandom(b);
        return BitConverter.ToUInt32(b);
    }
}
