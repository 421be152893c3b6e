using System.Buffers.Binary;
using System.Net;
using Relay.Wire.Ppp;

namespace Relay.Control.Ppp;

/// <summary>
/// IPCP's options (RFC 1332 §3, RFC 1877). Authenticator (LNS): asks for its own
/// <see cref="PppOptions.ServerAddress"/>; Naks the peer's IP-Address (0.0.0.0, wrong or absent)
/// with the address the orchestrator assigns; answers DNS (129/131) from
/// <see cref="PppOptions.DnsServers"/> or rejects them when there are none; rejects NBNS,
/// IP-Compression-Protocol (VJ), the old IP-Addresses option and anything unknown. Peer: asks
/// for 0.0.0.0 and the DNS servers, takes what the Naks say, accepts the server's address.
/// </summary>
internal sealed class IpcpNegotiator : IPppNegotiator
{
    private readonly PppOptions _options;
    private readonly Func<IPAddress?> _assignAddress;
    private readonly Action<string> _fail;
    private IPAddress? _assigned;
    private uint _requestAddress;
    private bool _addressRejected;
    private uint _requestPrimaryDns;
    private uint _requestSecondaryDns;
    private bool _primaryDnsRejected;
    private bool _secondaryDnsRejected;
    private uint _pendingPeerAddress;

    public IpcpNegotiator(PppOptions options, Func<IPAddress?> assignAddress, Action<string> fail)
    {
        _options = options;
        _assignAddress = assignAddress;
        _fail = fail;
        Reset();
    }

    public IPAddress? LocalAddress { get; private set; }

    public IPAddress? PeerAddress { get; private set; }

    /// <summary>Peer: the DNS servers acknowledged; authenticator: the ones handed out.</summary>
    public IReadOnlyList<IPAddress> Dns { get; private set; } = [];

    private bool IsAuthenticator => _options.Role == PppRole.Authenticator;

    public void Reset()
    {
        _addressRejected = false;
        _primaryDnsRejected = !IsAuthenticator && !_options.RequestDns;
        _secondaryDnsRejected = _primaryDnsRejected;
        _requestAddress = IsAuthenticator ? ToUInt32(_options.ServerAddress) : 0;
        _requestPrimaryDns = 0;
        _requestSecondaryDns = 0;
        LocalAddress = null;
        PeerAddress = null;
    }

    public void WriteRequest(ref PppControlWriter writer)
    {
        if (!_addressRejected)
        {
            writer.WriteUInt32Option(IpcpOption.IpAddress, _requestAddress);
        }
        if (IsAuthenticator)
        {
            return;
        }
        if (!_primaryDnsRejected)
        {
            writer.WriteUInt32Option(IpcpOption.PrimaryDns, _requestPrimaryDns);
        }
        if (!_secondaryDnsRejected)
        {
            writer.WriteUInt32Option(IpcpOption.SecondaryDns, _requestSecondaryDns);
        }
    }

    public void JudgeRequest(ReadOnlySpan<byte> options, ConfigureVerdicts verdicts)
    {
        _pendingPeerAddress = 0;
        var sawAddress = false;
        foreach (var option in new PppOptionReader(options))
        {
            switch (option.Type)
            {
                case IpcpOption.IpAddress when option.ReadUInt32(out var address) == PppOptionStatus.Ok:
                    sawAddress = true;
                    JudgeAddress(option, address, verdicts);
                    break;
                case IpcpOption.PrimaryDns when IsAuthenticator && option.Value.Length == 4 && _options.DnsServers.Count > 0:
                    JudgeDns(option, _options.DnsServers[0], verdicts);
                    break;
                case IpcpOption.SecondaryDns when IsAuthenticator && option.Value.Length == 4 && _options.DnsServers.Count > 1:
                    JudgeDns(option, _options.DnsServers[1], verdicts);
                    break;
                default:
                    // NBNS, IP-Compression-Protocol (no VJ), IP-Addresses, DNS we cannot give, unknown.
                    verdicts.Reject(option);
                    break;
            }
        }
        if (!sawAddress && IsAuthenticator && !verdicts.HasRejects && Assigned() is { } assigned)
        {
            // §5.3: a Nak may ask for an option the peer left out.
            verdicts.Suggest(IpcpOption.IpAddress, ToUInt32(assigned));
        }
    }

    public void CommitPeerRequest()
    {
        PeerAddress = _pendingPeerAddress == 0 ? PeerAddress : ToAddress(_pendingPeerAddress);
    }

    public void ReceiveAck(ReadOnlySpan<byte> options)
    {
        LocalAddress = _addressRejected ? (IsAuthenticator ? _options.ServerAddress : null) : ToAddress(_requestAddress);
        if (IsAuthenticator)
        {
            Dns = _options.DnsServers;
            return;
        }
        var dns = new List<IPAddress>();
        if (!_primaryDnsRejected && _requestPrimaryDns != 0)
        {
            dns.Add(ToAddress(_requestPrimaryDns));
        }
        if (!_secondaryDnsRejected && _requestSecondaryDns != 0)
        {
            dns.Add(ToAddress(_requestSecondaryDns));
        }
        Dns = dns;
    }

    public void ReceiveNak(ReadOnlySpan<byte> options)
    {
        foreach (var option in new PppOptionReader(options))
        {
            if (IsAuthenticator || option.ReadUInt32(out var value) != PppOptionStatus.Ok)
            {
                // The LNS's own address is configuration, not negotiable.
                continue;
            }
            switch (option.Type)
            {
                case IpcpOption.IpAddress:
                    _requestAddress = value;
                    _addressRejected = false;
                    break;
                case IpcpOption.PrimaryDns:
                    _requestPrimaryDns = value;
                    break;
                case IpcpOption.SecondaryDns:
                    _requestSecondaryDns = value;
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
                case IpcpOption.IpAddress:
                    _addressRejected = true;
                    if (!IsAuthenticator)
                    {
                        _fail("the server will not give us an address");
                    }
                    break;
                case IpcpOption.PrimaryDns:
                    _primaryDnsRejected = true;
                    break;
                case IpcpOption.SecondaryDns:
                    _secondaryDnsRejected = true;
                    break;
            }
        }
    }

    private void JudgeAddress(PppOption option, uint address, ConfigureVerdicts verdicts)
    {
        if (!IsAuthenticator)
        {
            // The server tells us its address; 0.0.0.0 would ask us to pick one, which we cannot.
            if (address == 0)
            {
                verdicts.Reject(option);
            }
            else
            {
                _pendingPeerAddress = address;
            }
            return;
        }
        if (Assigned() is not { } assigned)
        {
            verdicts.Reject(option);
            _fail("no address available for the peer");
            return;
        }
        var wanted = ToUInt32(assigned);
        if (address == wanted)
        {
            _pendingPeerAddress = address;
        }
        else
        {
            verdicts.Nak(option, wanted);
        }
    }

    private static void JudgeDns(PppOption option, IPAddress server, ConfigureVerdicts verdicts)
    {
        var wanted = ToUInt32(server);
        if (BinaryPrimitives.ReadUInt32BigEndian(option.Value) != wanted)
        {
            verdicts.Nak(option, wanted);
        }
    }

    /// <summary>The peer's address, asked of the orchestrator once per session.</summary>
    private IPAddress? Assigned() => _assigned ??= _assignAddress();

    private static uint ToUInt32(IPAddress? address)
    {
        if (address is null)
        {
            return 0;
        }
        Span<byte> bytes = stackalloc byte[16];
        return address.TryWriteBytes(bytes, out var written) && written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : 0;
    }

    private static IPAddress ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
