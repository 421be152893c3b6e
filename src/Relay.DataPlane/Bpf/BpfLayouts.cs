using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Relay.DataPlane.Bpf;

// The C structs of native/bpf/lib/maps.h, field for field. Fields marked "network order" hold the
// value as the packet carries it: Be() swaps on little-endian hosts.

/// <summary>struct relay_session_key: the ids as an arriving data message carries them.</summary>
[StructLayout(LayoutKind.Sequential, Size = 4)]
internal struct BpfSessionKey
{
    public ushort TunnelId;  // network order
    public ushort SessionId; // network order

    public static BpfSessionKey From(ushort tunnelId, ushort sessionId)
        => new() { TunnelId = BpfLayout.Be(tunnelId), SessionId = BpfLayout.Be(sessionId) };

    /// <summary>(tunnel id &lt;&lt; 16 | session id) in host order: ForwardingEntry.PackedKey.</summary>
    public readonly uint Packed => (uint)BpfLayout.Be(TunnelId) << 16 | BpfLayout.Be(SessionId);
}

/// <summary>struct relay_session.</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct BpfSession : IEquatable<BpfSession>
{
    public const ushort Sequencing = 1;

    public uint PeerAddress;     // network order
    public ushort PeerPort;      // network order
    public ushort Flags;
    public uint LeasedAddress;   // network order
    public ushort PeerTunnelId;  // network order
    public ushort PeerSessionId; // network order

    public readonly bool Equals(BpfSession other)
        => PeerAddress == other.PeerAddress && PeerPort == other.PeerPort && Flags == other.Flags
            && LeasedAddress == other.LeasedAddress && PeerTunnelId == other.PeerTunnelId && PeerSessionId == other.PeerSessionId;

    public override readonly bool Equals(object? obj) => obj is BpfSession other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(PeerAddress, PeerPort, LeasedAddress, PeerSessionId);
}

/// <summary>struct relay_rule.</summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
internal struct BpfRule
{
    public byte Protocol;
    public byte RequireUdpEncapsulation;
    public ushort FirstPort; // host order
    public ushort LastPort;  // host order
    public ushort Padding;
}

/// <summary>struct relay_config.</summary>
[StructLayout(LayoutKind.Sequential, Size = 16 + MaxRules * 8)]
internal unsafe struct BpfConfig
{
    public const int MaxRules = 16;
    public const uint Reflect = 1;

    public uint Flags;
    public uint LocalAddress; // network order
    public uint RuleCount;
    public uint Padding;
    public fixed byte Rules[MaxRules * 8];

    public void SetRule(int index, in BpfRule rule)
    {
        fixed (byte* rules = Rules)
        {
            ((BpfRule*)rules)[index] = rule;
        }
    }
}

/// <summary>struct relay_traffic (one per CPU in the map).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BpfTraffic
{
    public ulong ReceivedPackets;
    public ulong ReceivedBytes;
    public ulong SentPackets;
    public ulong SentBytes;
    public ulong Drops;
}

internal static class BpfLayout
{
    public static ushort Be(ushort value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    public static uint Be(uint value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
}
