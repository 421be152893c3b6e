using Relay.Wire.L2tp;

namespace Relay.Wire.Tests.L2tp;

/// <summary>Builds control messages for tests: one of every type with the AVPs §6 says it carries.</summary>
internal static class L2tpTestMessages
{
    public static readonly byte[] Secret = "relay-shared-secret"u8.ToArray();
    public static readonly byte[] RandomVector = [0x3c, 0x9a, 0x01, 0x7e, 0x55, 0xd2, 0x10, 0x8b, 0xee, 0x42, 0x07, 0xc1, 0x6f, 0x23, 0x99, 0xab];

    public static byte[] Build(L2tpMessageType type, AvpWriter? avps = null, ushort tunnelId = 7, ushort sessionId = 0, ushort ns = 1, ushort nr = 2)
    {
        var buffer = new byte[2048];
        var writer = new L2tpControlMessageWriter(buffer, tunnelId, sessionId, ns, nr);
        writer.WriteMessageType(type);
        avps?.Invoke(ref writer);
        Assert.True(writer.TryFinish(out var length));
        return buffer[..length];
    }

    /// <summary>The message types §3.2 defines, each with the AVPs §6.1–§6.14 list for it.</summary>
    public static IEnumerable<(L2tpMessageType Type, byte[] Message)> OneOfEveryType()
    {
        yield return (L2tpMessageType.Sccrq, Build(L2tpMessageType.Sccrq, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteProtocolVersion();
            w.WriteAvp(AvpType.HostName, "lac.example"u8, mandatory: true);
            w.WriteUInt32(AvpType.FramingCapabilities, (uint)(L2tpFramingBits.Synchronous | L2tpFramingBits.Asynchronous), mandatory: true);
            w.WriteUInt16(AvpType.AssignedTunnelId, 41, mandatory: true);
            w.WriteUInt32(AvpType.BearerCapabilities, (uint)L2tpBearerBits.Digital, mandatory: true);
            w.WriteUInt16(AvpType.ReceiveWindowSize, 8, mandatory: true);
            w.WriteAvp(AvpType.Challenge, [1, 2, 3, 4, 5, 6, 7, 8], mandatory: true);
            w.WriteUInt64(AvpType.TieBreaker, 0x0102030405060708, mandatory: false);
            w.WriteUInt16(AvpType.FirmwareRevision, 0x0100, mandatory: false);
            w.WriteAvp(AvpType.VendorName, "Relay"u8, mandatory: false);
        }, tunnelId: 0, ns: 0, nr: 0));
        yield return (L2tpMessageType.Sccrp, Build(L2tpMessageType.Sccrp, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteProtocolVersion();
            w.WriteUInt32(AvpType.FramingCapabilities, (uint)L2tpFramingBits.Synchronous, mandatory: true);
            w.WriteAvp(AvpType.HostName, "relay.example"u8, mandatory: true);
            w.WriteUInt16(AvpType.AssignedTunnelId, 1001, mandatory: true);
            w.WriteUInt16(AvpType.FirmwareRevision, 1, mandatory: false);
            w.WriteAvp(AvpType.VendorName, "Relay"u8, mandatory: false);
            w.WriteUInt16(AvpType.ReceiveWindowSize, 16, mandatory: true);
            w.WriteAvp(AvpType.Challenge, [9, 8, 7, 6], mandatory: true);
            w.WriteAvp(AvpType.ChallengeResponse, new byte[16], mandatory: true);
        }, tunnelId: 41, ns: 0, nr: 1));
        yield return (L2tpMessageType.Scccn, Build(L2tpMessageType.Scccn, (ref L2tpControlMessageWriter w) =>
            w.WriteAvp(AvpType.ChallengeResponse, new byte[16], mandatory: true)));
        yield return (L2tpMessageType.StopCcn, Build(L2tpMessageType.StopCcn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt16(AvpType.AssignedTunnelId, 41, mandatory: true);
            w.WriteResultCode(2, 6, "vendor error"u8);
        }));
        yield return (L2tpMessageType.Hello, Build(L2tpMessageType.Hello));
        yield return (L2tpMessageType.Ocrq, Build(L2tpMessageType.Ocrq, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt16(AvpType.AssignedSessionId, 5, mandatory: true);
            w.WriteUInt32(AvpType.CallSerialNumber, 77, mandatory: true);
            w.WriteUInt32(AvpType.MinimumBps, 9600, mandatory: true);
            w.WriteUInt32(AvpType.MaximumBps, 1_000_000, mandatory: true);
            w.WriteUInt32(AvpType.BearerType, (uint)L2tpBearerBits.Analog, mandatory: true);
            w.WriteUInt32(AvpType.FramingType, (uint)L2tpFramingBits.Asynchronous, mandatory: true);
            w.WriteAvp(AvpType.CalledNumber, "5551234"u8, mandatory: true);
            w.WriteAvp(AvpType.SubAddress, "12"u8, mandatory: true);
        }));
        yield return (L2tpMessageType.Ocrp, Build(L2tpMessageType.Ocrp, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt16(AvpType.AssignedSessionId, 6, mandatory: true);
            w.WriteUInt32(AvpType.PhysicalChannelId, 3, mandatory: false);
        }, sessionId: 5));
        yield return (L2tpMessageType.Occn, Build(L2tpMessageType.Occn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt32(AvpType.TxConnectSpeed, 56000, mandatory: true);
            w.WriteUInt32(AvpType.FramingType, (uint)L2tpFramingBits.Asynchronous, mandatory: true);
            w.WriteUInt32(AvpType.RxConnectSpeed, 33600, mandatory: false);
            w.WriteEmpty(AvpType.SequencingRequired, mandatory: true);
        }, sessionId: 5));
        yield return (L2tpMessageType.Icrq, Build(L2tpMessageType.Icrq, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt16(AvpType.AssignedSessionId, 9, mandatory: true);
            w.WriteUInt32(AvpType.CallSerialNumber, 1234, mandatory: true);
            w.WriteUInt32(AvpType.BearerType, 0, mandatory: true);
            w.WriteUInt32(AvpType.PhysicalChannelId, 0, mandatory: false);
            w.WriteAvp(AvpType.CallingNumber, "5550000"u8, mandatory: true);
            w.WriteAvp(AvpType.CalledNumber, "5551111"u8, mandatory: true);
            w.WriteAvp(AvpType.SubAddress, "1"u8, mandatory: true);
        }));
        yield return (L2tpMessageType.Icrp, Build(L2tpMessageType.Icrp, (ref L2tpControlMessageWriter w) =>
            w.WriteUInt16(AvpType.AssignedSessionId, 300, mandatory: true), sessionId: 9));
        yield return (L2tpMessageType.Iccn, Build(L2tpMessageType.Iccn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteUInt32(AvpType.TxConnectSpeed, 100_000_000, mandatory: true);
            w.WriteUInt32(AvpType.FramingType, (uint)L2tpFramingBits.Synchronous, mandatory: true);
            w.WriteAvp(AvpType.InitialReceivedLcpConfReq, [0x01, 0x04, 0x05, 0xdc], mandatory: false);
            w.WriteAvp(AvpType.LastSentLcpConfReq, [0x01, 0x04, 0x05, 0xdc], mandatory: false);
            w.WriteAvp(AvpType.LastReceivedLcpConfReq, [0x01, 0x04, 0x05, 0xdc], mandatory: false);
            w.WriteUInt16(AvpType.ProxyAuthenType, (ushort)L2tpProxyAuthenType.Chap, mandatory: false);
            w.WriteAvp(AvpType.ProxyAuthenName, "alice"u8, mandatory: false);
            w.WriteAvp(AvpType.ProxyAuthenChallenge, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], mandatory: false);
            w.WriteProxyAuthenId(17);
            w.WriteAvp(AvpType.ProxyAuthenResponse, new byte[16], mandatory: false);
            w.WriteAvp(AvpType.PrivateGroupId, "corp"u8, mandatory: false);
            w.WriteUInt32(AvpType.RxConnectSpeed, 50_000_000, mandatory: false);
            w.WriteEmpty(AvpType.SequencingRequired, mandatory: true);
        }, sessionId: 300));
        yield return (L2tpMessageType.Cdn, Build(L2tpMessageType.Cdn, (ref L2tpControlMessageWriter w) =>
        {
            w.WriteResultCode(3);
            w.WriteUInt16(AvpType.AssignedSessionId, 9, mandatory: true);
            w.WriteQ931CauseCode(16, 0x45, "normal"u8);
        }, sessionId: 300));
        yield return (L2tpMessageType.Wen, Build(L2tpMessageType.Wen, (ref L2tpControlMessageWriter w) =>
            w.WriteCallErrors(new L2tpCallErrors(1, 2, 3, 4, 5, 6)), sessionId: 300));
        yield return (L2tpMessageType.Sli, Build(L2tpMessageType.Sli, (ref L2tpControlMessageWriter w) =>
            w.WriteAccm(0, 0xffffffff), sessionId: 9));
    }

    /// <summary>An LCP Echo-Request in HDLC-like framing (RFC 1661 §5.8, RFC 1662 address/control).</summary>
    public static readonly byte[] LcpEchoRequest = [0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78];
}
