using System.Buffers.Binary;
using System.Text;
using Relay.Wire.L2tp;

namespace Relay.Control.L2tp;

/// <summary>
/// Builds the control messages the state machines send (RFC 2661 §6), with the AVPs each
/// message type carries. Ns and Nr are left zero: the reliable transport stamps them.
/// AVPs that §4.4 allows to be hidden are hidden when a secret is given and hiding is on.
/// </summary>
internal sealed class ControlMessageEncoder(L2tpOptions options, Action<Span<byte>> fillRandom)
{
    private const int MaxMessage = 1024;

    public byte[] Sccrq(ushort localTunnelId, byte[]? challenge, ulong? tieBreaker)
    {
        // No AVP is hidden in an SCCRQ: the peer cannot know which secret to use before it has
        // read our Host Name, and common peers cannot unhide there.
        var w = Begin(0, 0, L2tpMessageType.Sccrq, out var buffer);
        WriteTunnelIdentity(ref w, localTunnelId, null);
        if (challenge is not null)
        {
            w.WriteAvp(AvpType.Challenge, challenge, mandatory: true);
        }
        if (tieBreaker is { } tie)
        {
            w.WriteUInt64(AvpType.TieBreaker, tie, mandatory: false);
        }
        return Finish(ref w, buffer);
    }

    public byte[] Sccrp(ushort peerTunnelId, ushort localTunnelId, byte[]? challenge, byte[]? challengeResponse, byte[]? secret)
    {
        var w = Begin(peerTunnelId, 0, L2tpMessageType.Sccrp, out var buffer);
        var hide = Hiding(secret);
        WriteTunnelIdentity(ref w, localTunnelId, hide);
        if (challenge is not null)
        {
            Write(ref w, hide, AvpType.Challenge, challenge, true);
        }
        if (challengeResponse is not null)
        {
            Write(ref w, hide, AvpType.ChallengeResponse, challengeResponse, true);
        }
        return Finish(ref w, buffer);
    }

    public byte[] Scccn(ushort peerTunnelId, byte[]? challengeResponse, byte[]? secret)
    {
        var w = Begin(peerTunnelId, 0, L2tpMessageType.Scccn, out var buffer);
        if (challengeResponse is not null)
        {
            Write(ref w, Hiding(secret), AvpType.ChallengeResponse, challengeResponse, true);
        }
        return Finish(ref w, buffer);
    }

    public byte[] StopCcn(ushort peerTunnelId, ushort localTunnelId, ushort result, ushort? error, string? message, byte[]? secret)
    {
        var w = Begin(peerTunnelId, 0, L2tpMessageType.StopCcn, out var buffer);
        var hide = Hiding(secret);
        WriteUInt16(ref w, hide, AvpType.AssignedTunnelId, localTunnelId);
        w.WriteResultCode(result, error, message is null ? default : Encoding.UTF8.GetBytes(message));
        return Finish(ref w, buffer);
    }

    public byte[] Hello(ushort peerTunnelId)
    {
        var w = Begin(peerTunnelId, 0, L2tpMessageType.Hello, out var buffer);
        return Finish(ref w, buffer);
    }

    public byte[] Icrq(ushort peerTunnelId, ushort localSessionId, uint callSerial, byte[]? secret)
    {
        var w = Begin(peerTunnelId, 0, L2tpMessageType.Icrq, out var buffer);
        var hide = Hiding(secret);
        WriteUInt16(ref w, hide, AvpType.AssignedSessionId, localSessionId);
        WriteUInt32(ref w, hide, AvpType.CallSerialNumber, callSerial);
        // Bearer Type: neither analog nor digital (a virtual call).
        WriteUInt32(ref w, hide, AvpType.BearerType, 0);
        return Finish(ref w, buffer);
    }

    public byte[] Icrp(ushort peerTunnelId, ushort peerSessionId, ushort localSessionId, byte[]? secret)
    {
        var w = Begin(peerTunnelId, peerSessionId, L2tpMessageType.Icrp, out var buffer);
        WriteUInt16(ref w, Hiding(secret), AvpType.AssignedSessionId, localSessionId);
        return Finish(ref w, buffer);
    }

    public byte[] Iccn(ushort peerTunnelId, ushort peerSessionId, bool sequencingRequired, byte[]? secret)
    {
        var w = Begin(peerTunnelId, peerSessionId, L2tpMessageType.Iccn, out var buffer);
        var hide = Hiding(secret);
        w.WriteUInt32(AvpType.TxConnectSpeed, 100_000_000, mandatory: true);
        // Framing Type: synchronous (bit 0), what a virtual PPP link is.
        WriteUInt32(ref w, hide, AvpType.FramingType, 1);
        if (sequencingRequired)
        {
            w.WriteEmpty(AvpType.SequencingRequired, mandatory: true);
        }
        return Finish(ref w, buffer);
    }

    public byte[] Cdn(ushort peerTunnelId, ushort peerSessionId, ushort localSessionId, ushort result, ushort? error, string? message, byte[]? secret)
    {
        var w = Begin(peerTunnelId, peerSessionId, L2tpMessageType.Cdn, out var buffer);
        w.WriteResultCode(result, error, message is null ? default : Encoding.UTF8.GetBytes(message));
        WriteUInt16(ref w, Hiding(secret), AvpType.AssignedSessionId, localSessionId);
        return Finish(ref w, buffer);
    }

    private void WriteTunnelIdentity(ref L2tpControlMessageWriter w, ushort localTunnelId, HideState? hide)
    {
        w.WriteProtocolVersion(1, 0);
        w.WriteAvp(AvpType.HostName, Encoding.UTF8.GetBytes(options.HostName), mandatory: true);
        // Framing: synchronous and asynchronous (bits 0 and 1); no bearer capabilities (we never dial).
        WriteUInt32(ref w, hide, AvpType.FramingCapabilities, 3);
        WriteUInt16(ref w, hide, AvpType.AssignedTunnelId, localTunnelId);
        w.WriteUInt16(AvpType.ReceiveWindowSize, options.Reliability.ReceiveWindow, mandatory: true);
        WriteUInt16(ref w, hide, AvpType.FirmwareRevision, options.FirmwareRevision, mandatory: false);
        Write(ref w, hide, AvpType.VendorName, Encoding.UTF8.GetBytes(options.VendorName), false);
    }

    private HideState Hiding(byte[]? secret) => new(options.HideAvps && secret is not null ? secret : null);

    /// <summary>The secret to hide with, and whether the Random Vector has been written yet.</summary>
    private sealed class HideState(byte[]? secret)
    {
        public byte[]? Secret { get; } = secret;

        public bool VectorWritten { get; set; }
    }

    private void Write(ref L2tpControlMessageWriter w, HideState? hide, AvpType type, scoped ReadOnlySpan<byte> value, bool mandatory)
    {
        if (hide?.Secret is null)
        {
            w.WriteAvp(type, value, mandatory);
            return;
        }
        if (!hide.VectorWritten)
        {
            Span<byte> vector = stackalloc byte[16];
            fillRandom(vector);
            w.WriteRandomVector(vector);
            hide.VectorWritten = true;
        }
        // Random padding of 0..15 octets hides the value's length (§4.3).
        Span<byte> padding = stackalloc byte[16];
        fillRandom(padding);
        w.WriteHidden(type, value, mandatory, hide.Secret, padding[..(padding[0] & 0x0f)]);
    }

    private void WriteUInt16(ref L2tpControlMessageWriter w, HideState? hide, AvpType type, ushort value, bool mandatory = true)
    {
        Span<byte> v = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(v, value);
        Write(ref w, hide, type, v, mandatory);
    }

    private void WriteUInt32(ref L2tpControlMessageWriter w, HideState? hide, AvpType type, uint value, bool mandatory = true)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, value);
        Write(ref w, hide, type, v, mandatory);
    }

    private static L2tpControlMessageWriter Begin(ushort tunnelId, ushort sessionId, L2tpMessageType type, out byte[] buffer)
    {
        buffer = new byte[MaxMessage];
        var w = new L2tpControlMessageWriter(buffer, tunnelId, sessionId, 0, 0);
        w.WriteMessageType(type);
        return w;
    }

    private static byte[] Finish(ref L2tpControlMessageWriter w, byte[] buffer)
    {
        if (!w.TryFinish(out var length))
        {
            // Only a host or vendor name longer than the buffer gets here: configuration limits
            // those, so this is a programming error.
            throw new InvalidOperationException("control message did not fit in 1024 octets");
        }
        return buffer.AsSpan(0, length).ToArray();
    }
}
