using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Relay.DataPlane.Sockets;
using Relay.Wire.Ip;
using Relay.Wire.L2tp;
using Relay.Wire.Ppp;

namespace Relay.DataPlane.Forwarding;

/// <summary>
/// The per-packet decision and rewrite, socket-free: static, allocation-free, lock-free and
/// exception-free. <see cref="FromPeer"/> takes a datagram from the L2TP socket;
/// <see cref="FromKernel"/> an IPv4 packet read from TUN. Both may move the packet's start
/// backwards into the caller's buffer (up to <see cref="MaxEncapsulation"/> octets before the
/// inner IPv4 header), never its payload: receive buffers should leave that much headroom.
/// Drops are counted here (the worker's <see cref="DropCounters"/> and the source session's).
/// </summary>
public static class Forwarder
{
    /// <summary>The longest header the relay writes before an inner packet: L2TP with L and S (12) + PPP FF 03 00 21 (4).</summary>
    public const int MaxEncapsulation = 16;

    private const int PppHeaderLength = 4;

    /// <summary>
    /// Classifies the L2TP datagram at <c>buffer[start..(start + length)]</c> from
    /// <paramref name="source"/> and, for session-to-session traffic, rewrites it in place.
    /// </summary>
    public static ForwardVerdict FromPeer(Span<byte> buffer, int start, int length, in UdpPeer source, ForwardingSnapshot table,
        ForwardingWorkerState worker, long now, out ForwardResult result)
    {
        result = default;
        var datagram = buffer.Slice(start, length);
        var status = L2tpHeader.TryParse(datagram, out var l2tp);
        if (status != L2tpParseStatus.Ok)
        {
            return Drop(ref result, worker,
                status is L2tpParseStatus.L2fVersion or L2tpParseStatus.UnsupportedVersion ? DropReason.NotL2tpV2 : DropReason.Malformed);
        }
        if (l2tp.IsControl)
        {
            return ToControl(ref result, start, length);
        }
        var session = table.Find(l2tp.TunnelId, l2tp.SessionId);
        if (session is null)
        {
            return UnknownSession(ref result, worker, datagram, l2tp, start, length);
        }
        if (!session.Peer.Equals(source))
        {
            return Drop(ref result, worker, DropReason.Spoofed);
        }
        result.Source = session;
        session.Traffic.CountReceived(worker.Index, length);
        if (l2tp.HasSequence && !session.Traffic.AcceptNs(worker.Index, l2tp.Ns))
        {
            return Drop(ref result, worker, DropReason.StaleSequence);
        }
        if (PppFrame.Parse(datagram.Slice(l2tp.PayloadStart, l2tp.PayloadLength), out var ppp) != PppFrameStatus.Ok)
        {
            return Drop(ref result, worker, DropReason.Malformed);
        }
        if (PppProtocol.IsControl(ppp.Protocol))
        {
            return ToControl(ref result, start, length);
        }
        if (ppp.Protocol != PppProtocol.Ipv4)
        {
            return Drop(ref result, worker, DropReason.NotIpv4);
        }
        if (!session.IsReady)
        {
            return Drop(ref result, worker, DropReason.SessionNotReady);
        }
        if (Ipv4Header.Parse(ppp.Information, out var ip) != Ipv4Status.Ok)
        {
            return Drop(ref result, worker, DropReason.BadInnerHeader);
        }
        if (ip.Source != session.LeasedAddress)
        {
            return Drop(ref result, worker, DropReason.InnerSourceSpoofed);
        }
        var reason = Admit(ip, table.Policy, worker.Fragments, now);
        if (reason != DropReason.None)
        {
            return Drop(ref result, worker, reason);
        }
        var innerStart = start + l2tp.PayloadStart + ppp.HeaderLength;
        int innerLength = ip.TotalLength;
        if (!table.TryRoute(ip.Destination, out var target))
        {
            if (!table.KernelRoute)
            {
                return Drop(ref result, worker, DropReason.NoRoute);
            }
            result.Verdict = ForwardVerdict.ToKernel;
            result.Start = innerStart;
            result.Length = innerLength;
            return ForwardVerdict.ToKernel;
        }
        if (target is null)
        {
            return Drop(ref result, worker, DropReason.NoRoute);
        }
        reason = Encapsulate(buffer, innerStart, innerLength, target, l2tp.HasLength, l2tp.IsPriority, decrementTtl: true, out var outStart, out var outLength);
        if (reason != DropReason.None)
        {
            return Drop(ref result, worker, reason);
        }
        return ToSession(ref result, worker, target, outStart, outLength);
    }

    /// <summary>
    /// Takes the IPv4 packet at <c>buffer[start..(start + length)]</c> read from TUN (FIG. 2:
    /// replies from the gateway) and, when it is for a ready session and the policy allows it,
    /// wraps it in place for that session. The kernel has already decremented TTL.
    /// </summary>
    public static ForwardVerdict FromKernel(Span<byte> buffer, int start, int length, ForwardingSnapshot table,
        ForwardingWorkerState worker, long now, out ForwardResult result)
    {
        result = default;
        if (length > 0 && buffer[start] >> 4 != 4)
        {
            // IPv6 the kernel routed into TUN (its own neighbour discovery, MLD): the data plane carries IPv4 only.
            return Drop(ref result, worker, DropReason.NotIpv4);
        }
        if (Ipv4Header.Parse(buffer.Slice(start, length), out var ip, verifyChecksum: false) != Ipv4Status.Ok)
        {
            return Drop(ref result, worker, DropReason.BadInnerHeader);
        }
        if (!table.TryRoute(ip.Destination, out var target) || target is null)
        {
            return Drop(ref result, worker, DropReason.NoRoute);
        }
        var reason = Admit(ip, table.Policy, worker.Fragments, now);
        if (reason == DropReason.None)
        {
            reason = Encapsulate(buffer, start, ip.TotalLength, target, withLength: false, priority: false, decrementTtl: false,
                out var outStart, out var outLength);
            if (reason == DropReason.None)
            {
                return ToSession(ref result, worker, target, outStart, outLength);
            }
        }
        return Drop(ref result, worker, reason);
    }

    /// <summary>
    /// Policy and fragments: an unfragmented datagram or a first fragment is judged by the rules;
    /// the first fragment's "allowed" is remembered for the rest of its datagram.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DropReason Admit(in Ipv4Header ip, ForwardingPolicy policy, FragmentTable fragments, long now)
    {
        if (!ip.IsFragment)
        {
            return policy.Allows(ip.Protocol, ip.Payload, wholeDatagram: true) ? DropReason.None : DropReason.PolicyDenied;
        }
        if (ip.FragmentOffset == 0)
        {
            if (!policy.Allows(ip.Protocol, ip.Payload, wholeDatagram: false))
            {
                return DropReason.PolicyDenied;
            }
            return fragments.TryAllow(ip.Source, ip.Destination, ip.Identification, ip.Protocol, now)
                ? DropReason.None
                : DropReason.FragmentTableFull;
        }
        return fragments.IsAllowed(ip.Source, ip.Destination, ip.Identification, ip.Protocol, now)
            ? DropReason.None
            : DropReason.FragmentDenied;
    }

    /// <summary>
    /// Writes the target's L2TP data header and a full PPP header (FF 03 00 21, which every peer
    /// must accept whatever it negotiated, RFC 1661 §6.5–6.6) directly before the inner IPv4
    /// packet, after decrementing its TTL with the RFC 1624 checksum update. The inner packet is
    /// not moved; the header's start is. L is kept as the source sent it (so is P); S is set when
    /// the target sequences data, with an Ns taken from it; offset padding is never written.
    /// </summary>
    internal static DropReason Encapsulate(Span<byte> buffer, int innerStart, int innerLength, ForwardingEntry target,
        bool withLength, bool priority, bool decrementTtl, out int start, out int length)
    {
        var sequenced = target.DataSequencing;
        var headerLength = 6 + (withLength ? 2 : 0) + (sequenced ? 4 : 0);
        start = innerStart - headerLength - PppHeaderLength;
        length = headerLength + PppHeaderLength + innerLength;
        if (start < 0)
        {
            return DropReason.NoHeadroom;
        }
        if (withLength && length > ushort.MaxValue)
        {
            return DropReason.Malformed;
        }
        if (decrementTtl && Ipv4Header.DecrementTtl(buffer.Slice(innerStart, Ipv4Header.MinimumLength)) != Ipv4TtlStatus.Ok)
        {
            return DropReason.TtlExpired;
        }
        if (innerStart >= Vector128<byte>.Count)
        {
            WriteHeaderVector(buffer, innerStart, headerLength, target, withLength, priority, (ushort)length);
            return DropReason.None;
        }
        var header = buffer.Slice(start, headerLength + PppHeaderLength);
        var flags = L2tpHeader.Version
            | (withLength ? (int)L2tpHeaderFlags.Length : 0)
            | (sequenced ? (int)L2tpHeaderFlags.Sequence : 0)
            | (priority ? (int)L2tpHeaderFlags.Priority : 0);
        var position = 2;
        if (withLength)
        {
            WriteBigEndian(header, 2, (ushort)length);
            position = 4;
        }
        WriteBigEndian(header, 0, (ushort)flags);
        WriteBigEndian(header, position, target.PeerTunnelId);
        WriteBigEndian(header, position + 2, target.PeerSessionId);
        position += 4;
        if (sequenced)
        {
            WriteBigEndian(header, position, target.Traffic.TakeNs());
            WriteBigEndian(header, position + 2, 0); // Nr is reserved in data messages (§3.1).
            position += 4;
        }
        // FF 03 00 21: All-Stations, UI, IPv4.
        WriteBigEndian(header, position, 0xFF03);
        WriteBigEndian(header, position + 2, PppProtocol.Ipv4);
        return DropReason.None;
    }

    /// <summary>
    /// The header as one 16-octet store that ends at the inner packet: the target's template with
    /// P, length and Ns put into their 16-bit lanes. The octets it writes before the header's start
    /// are headroom or the old header, both dead (the caller sends from the new start).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteHeaderVector(Span<byte> buffer, int innerStart, int headerLength, ForwardingEntry target,
        bool withLength, bool priority, ushort length)
    {
        var lanes = (withLength ? target.HeaderWithLength : target.HeaderWithoutLength).AsUInt16();
        var flagsLane = (Vector128<byte>.Count - headerLength - PppHeaderLength) / 2;
        if (priority)
        {
            lanes = lanes.WithElement(flagsLane, (ushort)(lanes.GetElement(flagsLane) | NetworkOrder((ushort)L2tpHeaderFlags.Priority)));
        }
        if (withLength)
        {
            lanes = lanes.WithElement(flagsLane + 1, NetworkOrder(length));
        }
        if (target.DataSequencing)
        {
            lanes = lanes.WithElement(flagsLane + (withLength ? 4 : 3), NetworkOrder(target.Traffic.TakeNs()));
        }
        lanes.AsByte().StoreUnsafe(ref MemoryMarshal.GetReference(buffer), (nuint)(innerStart - Vector128<byte>.Count));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort NetworkOrder(ushort value) => BitConverter.IsLittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value) : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBigEndian(Span<byte> span, int offset, ushort value)
        => System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(span[offset..], value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ForwardVerdict ToSession(ref ForwardResult result, ForwardingWorkerState worker, ForwardingEntry target, int start, int length)
    {
        target.Traffic.CountSent(worker.Index, length);
        result.Verdict = ForwardVerdict.ToSession;
        result.Target = target;
        result.Start = start;
        result.Length = length;
        return ForwardVerdict.ToSession;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ForwardVerdict ToControl(ref ForwardResult result, int start, int length)
    {
        result.Verdict = ForwardVerdict.ToControl;
        result.Start = start;
        result.Length = length;
        return ForwardVerdict.ToControl;
    }

    /// <summary>
    /// A data message for ids the published table does not hold. A LAC starts PPP the moment it
    /// sends ICCN (RFC 2661 §5.1), so its first LCP frame can overtake the control loop's publish
    /// of the new session: PPP control frames go to the control loop, which knows the session as
    /// soon as it has read the ICCN before them on the same queue, and checks the tunnel's peer
    /// itself. Anything else is dropped (UnknownSession).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ForwardVerdict UnknownSession(ref ForwardResult result, ForwardingWorkerState worker, ReadOnlySpan<byte> datagram,
        in L2tpHeader l2tp, int start, int length)
    {
        if (PppFrame.Parse(datagram.Slice(l2tp.PayloadStart, l2tp.PayloadLength), out var ppp) == PppFrameStatus.Ok
            && PppProtocol.IsControl(ppp.Protocol))
        {
            return ToControl(ref result, start, length);
        }
        return Drop(ref result, worker, DropReason.UnknownSession);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ForwardVerdict Drop(ref ForwardResult result, ForwardingWorkerState worker, DropReason reason)
    {
        worker.Drops.Increment(reason);
        result.Source?.Traffic.CountDrop(worker.Index);
        result.Verdict = ForwardVerdict.Drop;
        result.Reason = reason;
        return ForwardVerdict.Drop;
    }
}
