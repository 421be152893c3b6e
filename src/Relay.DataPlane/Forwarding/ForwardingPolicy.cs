using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Relay.Wire.Ip;

namespace Relay.DataPlane.Forwarding;

/// <summary>
/// Which inner packets a session may send: a short list of allow rules; anything no rule
/// matches is dropped (PolicyDenied). The default, <see cref="IpsecOnly"/>, allows IKE
/// (UDP 500 and 4500) and ESP, as the product promises. Immutable; published with the table.
/// </summary>
public sealed class ForwardingPolicy
{
    private readonly PolicyRule[] _rules;

    private ForwardingPolicy(PolicyRule[] rules) => _rules = rules;

    public static ForwardingPolicy IpsecOnly { get; } = new([PolicyRule.EspRule, PolicyRule.Ike, PolicyRule.NatTraversal]);

    public ReadOnlySpan<PolicyRule> Rules => _rules;

    public static ForwardingPolicy Create(IEnumerable<PolicyRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var array = rules.ToArray();
        foreach (var rule in array)
        {
            if (rule.FirstPort > rule.LastPort)
            {
                throw new ArgumentException($"rule {rule}: first port above last port", nameof(rules));
            }
            if (rule.HasPorts && rule.Protocol is not (PolicyRule.Tcp or PolicyRule.Udp))
            {
                throw new ArgumentException($"rule {rule}: ports only apply to TCP and UDP", nameof(rules));
            }
            if (rule.RequireUdpEncapsulation && rule.Protocol != PolicyRule.Udp)
            {
                throw new ArgumentException($"rule {rule}: UDP encapsulation needs UDP", nameof(rules));
            }
        }
        return new ForwardingPolicy(array);
    }

    /// <summary>
    /// Decides for an unfragmented datagram or a first fragment. <paramref name="transport"/> is
    /// the IP payload present in this packet (a first fragment holds at least 8 octets of it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Allows(byte protocol, ReadOnlySpan<byte> transport, bool wholeDatagram)
    {
        var hasPorts = (protocol == PolicyRule.Udp || protocol == PolicyRule.Tcp) && transport.Length >= 4;
        var sourcePort = hasPorts ? BinaryPrimitives.ReadUInt16BigEndian(transport) : (ushort)0;
        var destinationPort = hasPorts ? BinaryPrimitives.ReadUInt16BigEndian(transport[2..]) : (ushort)0;
        foreach (ref readonly var rule in _rules.AsSpan())
        {
            if (rule.Protocol != protocol)
            {
                continue;
            }
            if (rule.FirstPort != 0 || rule.LastPort != 0) // rule.HasPorts, spelled out: FromPeer is past the JIT's inline budget
            {
                if (!hasPorts
                    || ((uint)(sourcePort - rule.FirstPort) > (uint)(rule.LastPort - rule.FirstPort)
                        && (uint)(destinationPort - rule.FirstPort) > (uint)(rule.LastPort - rule.FirstPort)))
                {
                    continue;
                }
            }
            if (rule.RequireUdpEncapsulation && !IsUdpEncapsulation(transport, wholeDatagram))
            {
                continue;
            }
            return true;
        }
        return false;
    }

    private static bool IsUdpEncapsulation(ReadOnlySpan<byte> transport, bool wholeDatagram)
    {
        ReadOnlySpan<byte> payload;
        if (wholeDatagram)
        {
            if (UdpHeader.Parse(transport, out var udp) != UdpStatus.Ok)
            {
                return false;
            }
            payload = udp.Payload;
        }
        else
        {
            // A first fragment: the UDP Length counts octets still to come, so read what is here.
            if (transport.Length < UdpHeader.HeaderLength)
            {
                return false;
            }
            payload = transport[UdpHeader.HeaderLength..];
        }
        return UdpEncapsulation.Classify(payload) != UdpEncapsulationKind.Malformed;
    }
}
