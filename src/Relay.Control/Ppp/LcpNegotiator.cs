using Relay.Control.Ppp.Authentication;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp;

/// <summary>
/// LCP's options (RFC 1661 §6). Decisions:
/// <list type="bullet">
/// <item>MRU (§6.1): we ask for <see cref="PppOptions.Mru"/> and never raise it on a Nak; a peer
/// MRU below <see cref="PppOptions.MinimumMru"/> is Nak'd up to it.</item>
/// <item>ACCM (RFC 1662 §7.1): accepted and ignored, L2TP carries no async HDLC.</item>
/// <item>PFC/ACFC (§6.5, §6.6): rejected, so every frame we receive from a conforming peer has
/// FF03 and a two-octet Protocol, the layout the data plane's header rewrite expects (we still
/// parse compressed frames).</item>
/// <item>Quality-Protocol (§6.3) and every unknown option: rejected.</item>
/// <item>Magic-Number (§6.4): random, non-zero; a request or Nak carrying our own number counts
/// as a collision and a new number is picked; <see cref="PppOptions.MaxFailure"/> collisions in
/// a row declare a looped-back link.</item>
/// <item>Authentication-Protocol (§6.2): the authenticator demands its methods in order and
/// moves to the peer's suggestion (if allowed) or to the next method on a Nak; a Reject fails.
/// The peer accepts a method it allows and Naks with its first preference otherwise.</item>
/// </list>
/// </summary>
internal sealed class LcpNegotiator : IPppNegotiator
{
    private const ushort DefaultMru = 1500;

    private readonly PppOptions _options;
    private readonly Func<uint> _random;
    private readonly Action<string> _fail;
    private readonly List<PppAuthMethod> _tried = [];
    private ushort? _requestMru;
    private uint _magic;
    private bool _magicRejected;
    private PppAuthMethod? _demand;
    private int _collisions;
    private ushort _pendingPeerMru;
    private uint _pendingPeerMagic;
    private PppAuthMethod? _pendingPeerAuth;

    /// <param name="random">Source of Magic-Numbers.</param>
    /// <param name="fail">Called when negotiation cannot succeed (no method left, looped link); the session closes LCP.</param>
    public LcpNegotiator(PppOptions options, Func<uint> random, Action<string> fail, PppCounters counters)
    {
        _options = options;
        _random = random;
        _fail = fail;
        Counters = counters;
        Reset();
    }

    public PppCounters Counters { get; }

    /// <summary>The MRU the peer acknowledged for us (what we receive).</summary>
    public ushort LocalMru { get; private set; } = DefaultMru;

    /// <summary>The MRU of the peer we acknowledged (the largest Information field we send).</summary>
    public ushort PeerMru { get; private set; } = DefaultMru;

    /// <summary>Our Magic-Number as acknowledged; 0 when not negotiated (§6.4).</summary>
    public uint LocalMagic { get; private set; }

    public uint PeerMagic { get; private set; }

    /// <summary>Authenticator: the method the peer agreed to be authenticated with.</summary>
    public PppAuthMethod? LocalAuth { get; private set; }

    /// <summary>Peer: the method the authenticator asked us to use.</summary>
    public PppAuthMethod? PeerAuth { get; private set; }

    /// <summary>The Magic-Number we are asking for now.</summary>
    public uint RequestedMagic => _magic;

    public void Reset()
    {
        _requestMru = _options.Mru;
        _magic = NewMagic(0);
        _magicRejected = false;
        _collisions = 0;
        _tried.Clear();
        _demand = _options.Role == PppRole.Authenticator ? NextUntriedMethod() : null;
        LocalMru = DefaultMru;
        PeerMru = DefaultMru;
        LocalMagic = 0;
        PeerMagic = 0;
        LocalAuth = null;
        PeerAuth = null;
    }

    public void WriteRequest(ref PppControlWriter writer)
    {
        if (_requestMru is { } mru)
        {
            writer.WriteUInt16Option(LcpOption.Mru, mru);
        }
        if (_demand is { } method)
        {
            var (protocol, algorithm) = AuthenticationProtocols.OptionFor(method);
            writer.WriteAuthenticationOption(protocol, algorithm);
        }
        if (!_magicRejected)
        {
            writer.WriteUInt32Option(LcpOption.MagicNumber, _magic);
        }
    }

    public void JudgeRequest(ReadOnlySpan<byte> options, ConfigureVerdicts verdicts)
    {
        _pendingPeerMru = DefaultMru;
        _pendingPeerMagic = 0;
        _pendingPeerAuth = null;
        foreach (var option in new PppOptionReader(options))
        {
            switch (option.Type)
            {
                case LcpOption.Mru:
                    JudgeMru(option, verdicts);
                    break;
                case LcpOption.Accm when option.Value.Length == 4:
                    break;
                case LcpOption.AuthenticationProtocol:
                    JudgeAuthentication(option, verdicts);
                    break;
                case LcpOption.MagicNumber:
                    JudgeMagic(option, verdicts);
                    break;
                default:
                    // Quality-Protocol, PFC, ACFC, malformed ACCM and unknown options (§5.4).
                    verdicts.Reject(option);
                    break;
            }
        }
    }

    public void CommitPeerRequest()
    {
        PeerMru = _pendingPeerMru;
        PeerMagic = _pendingPeerMagic;
        PeerAuth = _pendingPeerAuth;
    }

    public void ReceiveAck(ReadOnlySpan<byte> options)
    {
        LocalMru = _requestMru ?? DefaultMru;
        LocalMagic = _magicRejected ? 0 : _magic;
        LocalAuth = _demand;
        _collisions = 0;
    }

    public void ReceiveNak(ReadOnlySpan<byte> options)
    {
        foreach (var option in new PppOptionReader(options))
        {
            switch (option.Type)
            {
                case LcpOption.Mru when option.ReadUInt16(out var mru) == PppOptionStatus.Ok && _requestMru is not null:
                    // We may receive less than we offered, never more than configured.
                    _requestMru = Math.Min(mru, _options.Mru);
                    break;
                case LcpOption.MagicNumber when option.ReadUInt32(out var magic) == PppOptionStatus.Ok && !_magicRejected:
                    if (magic == _magic)
                    {
                        Collision();
                    }
                    _magic = NewMagic(magic);
                    break;
                case LcpOption.AuthenticationProtocol when _demand is not null:
                    ReceiveAuthenticationNak(option);
                    break;
            }
        }
    }

    public void ReceiveReject(ReadOnlySpan<byte> options)
    {
        foreach (var option in new PppOptionReader(options))
        {
            switch (option.Type)
            {
                case LcpOption.Mru:
                    _requestMru = null;
                    break;
                case LcpOption.MagicNumber:
                    _magicRejected = true;
                    break;
                case LcpOption.AuthenticationProtocol when _demand is not null:
                    _fail("peer refuses to authenticate");
                    break;
            }
        }
    }

    private void JudgeMru(PppOption option, ConfigureVerdicts verdicts)
    {
        if (option.ReadUInt16(out var mru) != PppOptionStatus.Ok)
        {
            verdicts.Reject(option);
        }
        else if (mru < _options.MinimumMru)
        {
            verdicts.Nak(option, _options.MinimumMru);
        }
        else
        {
            _pendingPeerMru = mru;
        }
    }

    private void JudgeAuthentication(PppOption option, ConfigureVerdicts verdicts)
    {
        if (_options.Role == PppRole.Authenticator)
        {
            // We do not authenticate ourselves to clients.
            verdicts.Reject(option);
            return;
        }
        var method = option.ReadAuthentication(out var protocol, out var algorithm) == PppOptionStatus.Ok
            ? AuthenticationProtocols.MethodFor(protocol, algorithm)
            : null;
        if (method is { } m && _options.AuthMethods.Contains(m) && AuthenticationProtocols.IsImplemented(m))
        {
            _pendingPeerAuth = m;
            return;
        }
        foreach (var preferred in _options.AuthMethods)
        {
            if (AuthenticationProtocols.IsImplemented(preferred))
            {
                var (p, a) = AuthenticationProtocols.OptionFor(preferred);
                Span<byte> value = stackalloc byte[3];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(value, p);
                value[2] = a;
                verdicts.Nak(option, p == PppProtocol.Chap ? value : value[..2]);
                return;
            }
        }
        verdicts.Reject(option);
    }

    private void JudgeMagic(PppOption option, ConfigureVerdicts verdicts)
    {
        if (option.ReadUInt32(out var magic) != PppOptionStatus.Ok)
        {
            verdicts.Reject(option);
        }
        else if (magic == 0)
        {
            // §6.4: zero is illegal and always Nak'd.
            verdicts.Nak(option, NewMagic(0));
        }
        else if (magic == _magic && !_magicRejected)
        {
            // §6.4: our own number coming back: suggest the peer another one and pick a new one ourselves.
            Collision();
            verdicts.Nak(option, NewMagic(magic));
            _magic = NewMagic(magic);
        }
        else
        {
            _pendingPeerMagic = magic;
        }
    }

    private void ReceiveAuthenticationNak(PppOption option)
    {
        if (_demand is { } current && !_tried.Contains(current))
        {
            _tried.Add(current);
        }
        var suggested = option.ReadAuthentication(out var protocol, out var algorithm) == PppOptionStatus.Ok
            ? AuthenticationProtocols.MethodFor(protocol, algorithm)
            : null;
        if (suggested is { } s && _options.AuthMethods.Contains(s) && AuthenticationProtocols.IsImplemented(s) && !_tried.Contains(s))
        {
            _demand = s;
            return;
        }
        _demand = NextUntriedMethod();
        if (_demand is null)
        {
            _fail("peer accepts none of the authentication methods");
        }
    }

    private PppAuthMethod? NextUntriedMethod()
    {
        foreach (var method in _options.AuthMethods)
        {
            if (AuthenticationProtocols.IsImplemented(method) && !_tried.Contains(method))
            {
                return method;
            }
        }
        return null;
    }

    private void Collision()
    {
        Counters.MagicCollisions++;
        if (++_collisions >= _options.MaxFailure)
        {
            _fail("looped-back link detected");
        }
    }

    private uint NewMagic(uint avoid)
    {
        while (true)
        {
            var magic = _random();
            if (magic != 0 && magic != avoid)
            {
                return magic;
            }
        }
    }
}
