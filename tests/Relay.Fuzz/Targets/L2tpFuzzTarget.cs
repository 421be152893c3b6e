using Relay.Wire.L2tp;

namespace Relay.Fuzz.Targets;

/// <summary>
/// Fuzzes the L2TP header parser, the control message parser, every typed AVP accessor and
/// AVP unhiding. Invariants: a parsed header written again parses to the same fields and
/// payload; a parsed control message rebuilt with the writer (hidden values re-hidden) parses
/// to the same message type and the same AVPs with the same clear values.
/// </summary>
internal sealed class L2tpFuzzTarget : IFuzzTarget
{
    private static readonly byte[] Secret = "fuzz-secret"u8.ToArray();
    private static readonly byte[] RandomVector = [0x5a, 0x01, 0xc3, 0x99, 0x10, 0x42, 0x77, 0xee, 0x08, 0x3d, 0xb1, 0x6c, 0x2f, 0x90, 0xd4, 0x15];
    private static readonly byte[] LcpEchoRequest = [0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78];

    private readonly byte[] _rewrite = new byte[ushort.MaxValue + 1];
    // Large enough for any unhidden value: an AVP carries at most 1017 value octets (§4.1).
    private readonly byte[] _scratch = new byte[1024];
    private readonly byte[] _scratch2 = new byte[1024];

    public string Name => "l2tp";

    public IEnumerable<byte[]> Seeds()
    {
        var buffer = new byte[1024];

        var writer = new L2tpControlMessageWriter(buffer, 0, 0, 0, 0);
        writer.WriteMessageType(L2tpMessageType.Sccrq);
        writer.WriteProtocolVersion();
        writer.WriteAvp(AvpType.HostName, "lac.example"u8, mandatory: true);
        writer.WriteUInt32(AvpType.FramingCapabilities, 3, mandatory: true);
        writer.WriteUInt16(AvpType.AssignedTunnelId, 17, mandatory: true);
        writer.WriteUInt16(AvpType.ReceiveWindowSize, 8, mandatory: true);
        writer.WriteUInt64(AvpType.TieBreaker, 0x1122334455667788, mandatory: false);
        writer.WriteAvp(AvpType.Challenge, RandomVector, mandatory: true);
        writer.WriteAvp(1, [1, 2], mandatory: false, vendorId: 311);
        yield return Finish(ref writer, buffer);

        writer = new L2tpControlMessageWriter(buffer, 17, 9, 3, 2);
        writer.WriteMessageType(L2tpMessageType.Iccn);
        writer.WriteUInt32(AvpType.TxConnectSpeed, 100_000_000, mandatory: true);
        writer.WriteUInt32(AvpType.FramingType, 1, mandatory: true);
        writer.WriteRandomVector(RandomVector);
        writer.WriteHidden(AvpType.ProxyAuthenName, "alice@example.net"u8, mandatory: false, Secret, [1, 2, 3]);
        writer.WriteHidden(AvpType.ProxyAuthenResponse, RandomVector, mandatory: false, Secret);
        writer.WriteProxyAuthenId(7);
        writer.WriteEmpty(AvpType.SequencingRequired, mandatory: true);
        yield return Finish(ref writer, buffer);

        writer = new L2tpControlMessageWriter(buffer, 17, 9, 4, 2);
        writer.WriteMessageType(L2tpMessageType.Cdn);
        writer.WriteResultCode(2, 6, "vendor error"u8);
        writer.WriteUInt16(AvpType.AssignedSessionId, 9, mandatory: true);
        writer.WriteQ931CauseCode(16, 0x45, "normal"u8);
        yield return Finish(ref writer, buffer);

        writer = new L2tpControlMessageWriter(buffer, 17, 9, 5, 2);
        writer.WriteMessageType(L2tpMessageType.Wen);
        writer.WriteCallErrors(new L2tpCallErrors(1, 2, 3, 4, 5, 6));
        writer.WriteAccm(0, uint.MaxValue);
        yield return Finish(ref writer, buffer);

        writer = new L2tpControlMessageWriter(buffer, 17, 0, 6, 2);
        writer.WriteMessageType(L2tpMessageType.Hello);
        yield return Finish(ref writer, buffer);

        writer = new L2tpControlMessageWriter(buffer, 17, 0, 7, 2);
        yield return Finish(ref writer, buffer); // ZLB

        L2tpHeaderFlags[] shapes =
        [
            L2tpHeaderFlags.None,
            L2tpHeaderFlags.Length | L2tpHeaderFlags.Sequence,
            L2tpHeaderFlags.Offset | L2tpHeaderFlags.Priority,
            L2tpHeaderFlags.Length | L2tpHeaderFlags.Sequence | L2tpHeaderFlags.Offset,
        ];
        foreach (var flags in shapes)
        {
            var header = new L2tpHeader { Flags = flags, TunnelId = 17, SessionId = 9, Ns = 1, OffsetSize = 2 };
            header.TryWrite(buffer, LcpEchoRequest.Length, out var headerLength);
            LcpEchoRequest.CopyTo(buffer, headerLength);
            yield return buffer[..(headerLength + LcpEchoRequest.Length)];
        }
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (L2tpHeader.TryParse(input, out var header) == L2tpParseStatus.Ok)
        {
            CheckHeaderRoundTrip(input, header);
        }
        if (L2tpControlMessage.TryParse(input, out var message) == L2tpParseStatus.Ok)
        {
            CheckControlMessage(message);
        }
        // The reader alone, on arbitrary bytes, as a control layer might use it.
        var reader = new L2tpAvpReader(input);
        while (reader.MoveNext())
        {
            ReadValue(reader.Current);
        }
    }

    private void CheckHeaderRoundTrip(ReadOnlySpan<byte> input, L2tpHeader header)
    {
        if (header.PayloadStart > header.MessageEnd || header.MessageEnd > input.Length)
        {
            throw new FuzzInvariantException($"payload [{header.PayloadStart}, {header.MessageEnd}) outside datagram of {input.Length}");
        }
        var payload = input[header.PayloadStart..header.MessageEnd];
        if (!header.TryWrite(_rewrite, payload.Length, out var headerLength))
        {
            throw new FuzzInvariantException("a parsed header could not be written again");
        }
        payload.CopyTo(_rewrite.AsSpan(headerLength));
        var status = L2tpHeader.TryParse(_rewrite.AsSpan(0, headerLength + payload.Length), out var again);
        if (status != L2tpParseStatus.Ok)
        {
            throw new FuzzInvariantException($"a rewritten header does not parse: {status}");
        }
        if (again.Flags != header.Flags || again.TunnelId != header.TunnelId || again.SessionId != header.SessionId
            || again.Ns != header.Ns || again.Nr != header.Nr || again.OffsetSize != header.OffsetSize
            || again.PayloadLength != header.PayloadLength || (header.HasLength && again.Length != header.Length))
        {
            throw new FuzzInvariantException("a rewritten header parses to different fields");
        }
        if (!_rewrite.AsSpan(again.PayloadStart, again.PayloadLength).SequenceEqual(payload))
        {
            throw new FuzzInvariantException("a rewritten header moved the payload");
        }
    }

    private void CheckControlMessage(L2tpControlMessage message)
    {
        var rebuildable = true;
        var count = 0;
        var reader = message.Avps;
        while (reader.MoveNext())
        {
            count++;
            var status = ReadValue(reader.Current);
            rebuildable &= status == L2tpParseStatus.Ok;
        }
        if (reader.Status != L2tpParseStatus.Ok)
        {
            throw new FuzzInvariantException($"AVPs of an accepted message fail to frame: {reader.Status}");
        }
        if (!rebuildable)
        {
            return; // a hidden value that does not unhide cannot be re-hidden
        }

        var header = message.Header;
        var writer = new L2tpControlMessageWriter(_rewrite, header.TunnelId, header.SessionId, header.Ns, header.Nr);
        foreach (var avp in message.Avps)
        {
            if (avp.IsHidden)
            {
                avp.TryGetValue(Secret, _scratch, out var value);
                writer.WriteHidden(avp.AttributeType, value, avp.IsMandatory, Secret, default, avp.VendorId);
            }
            else
            {
                writer.WriteAvp(avp.AttributeType, avp.RawValue, avp.IsMandatory, avp.VendorId);
            }
        }
        if (!writer.TryFinish(out var length))
        {
            throw new FuzzInvariantException("an accepted control message could not be rebuilt");
        }
        var status2 = L2tpControlMessage.TryParse(_rewrite.AsSpan(0, length), out var again);
        if (status2 != L2tpParseStatus.Ok)
        {
            throw new FuzzInvariantException($"a rebuilt control message does not parse: {status2}");
        }
        if (again.MessageType != message.MessageType || again.IsMessageTypeMandatory != message.IsMessageTypeMandatory
            || again.IsZeroLengthBody != message.IsZeroLengthBody)
        {
            throw new FuzzInvariantException("a rebuilt control message changed its type");
        }
        var original = message.Avps;
        var rebuilt = again.Avps;
        for (var i = 0; i < count; i++)
        {
            if (!original.MoveNext() || !rebuilt.MoveNext())
            {
                throw new FuzzInvariantException("a rebuilt control message lost an AVP");
            }
            var a = original.Current;
            var b = rebuilt.Current;
            a.TryGetValue(Secret, _scratch, out var valueA);
            var statusB = b.TryGetValue(Secret, _scratch2, out var valueB);
            if (a.AttributeType != b.AttributeType || a.VendorId != b.VendorId || a.IsMandatory != b.IsMandatory
                || a.IsHidden != b.IsHidden || statusB != L2tpParseStatus.Ok || !valueA.SequenceEqual(valueB))
            {
                throw new FuzzInvariantException($"AVP {i} differs after rebuilding");
            }
        }
        if (rebuilt.MoveNext())
        {
            throw new FuzzInvariantException("a rebuilt control message gained an AVP");
        }
    }

    /// <summary>Unhides if needed and runs the typed accessor for the attribute; returns the unhide status.</summary>
    private L2tpParseStatus ReadValue(L2tpAvp avp)
    {
        var status = avp.TryGetValue(Secret, _scratch, out var value);
        if (status != L2tpParseStatus.Ok)
        {
            return status;
        }
        if (avp.IsHidden && value.Length > avp.RawValue.Length - 2)
        {
            throw new FuzzInvariantException("an unhidden value is longer than its ciphertext allows");
        }
        if (avp.Kind != L2tpAvpKind.Known)
        {
            return status;
        }
        _ = avp.Type switch
        {
            AvpType.MessageType => L2tpAvpValues.TryReadMessageType(value, out _),
            AvpType.ResultCode => CheckResultCode(value),
            AvpType.ProtocolVersion => L2tpAvpValues.TryReadProtocolVersion(value, out _, out _),
            AvpType.FramingCapabilities => L2tpAvpValues.TryReadFramingCapabilities(value, out _),
            AvpType.BearerCapabilities => L2tpAvpValues.TryReadBearerCapabilities(value, out _),
            AvpType.TieBreaker => L2tpAvpValues.TryReadTieBreaker(value, out _),
            AvpType.FirmwareRevision => L2tpAvpValues.TryReadFirmwareRevision(value, out _),
            AvpType.HostName => L2tpAvpValues.TryReadHostName(value, out _),
            AvpType.VendorName => L2tpAvpValues.TryReadVendorName(value, out _),
            AvpType.AssignedTunnelId => CheckNonZero(L2tpAvpValues.TryReadAssignedTunnelId(value, out var t), t),
            AvpType.ReceiveWindowSize => L2tpAvpValues.TryReadReceiveWindowSize(value, out _),
            AvpType.Challenge => L2tpAvpValues.TryReadChallenge(value, out _),
            AvpType.Q931CauseCode => L2tpAvpValues.TryReadQ931CauseCode(value, out _),
            AvpType.ChallengeResponse => L2tpAvpValues.TryReadChallengeResponse(value, out _),
            AvpType.AssignedSessionId => CheckNonZero(L2tpAvpValues.TryReadAssignedSessionId(value, out var s), s),
            AvpType.CallSerialNumber => L2tpAvpValues.TryReadCallSerialNumber(value, out _),
            AvpType.MinimumBps => L2tpAvpValues.TryReadMinimumBps(value, out _),
            AvpType.MaximumBps => L2tpAvpValues.TryReadMaximumBps(value, out _),
            AvpType.BearerType => L2tpAvpValues.TryReadBearerType(value, out _),
            AvpType.FramingType => L2tpAvpValues.TryReadFramingType(value, out _),
            AvpType.CalledNumber => L2tpAvpValues.TryReadCalledNumber(value, out _),
            AvpType.CallingNumber => L2tpAvpValues.TryReadCallingNumber(value, out _),
            AvpType.SubAddress => L2tpAvpValues.TryReadSubAddress(value, out _),
            AvpType.TxConnectSpeed => L2tpAvpValues.TryReadTxConnectSpeed(value, out _),
            AvpType.PhysicalChannelId => L2tpAvpValues.TryReadPhysicalChannelId(value, out _),
            AvpType.InitialReceivedLcpConfReq => L2tpAvpValues.TryReadInitialReceivedLcpConfReq(value, out _),
            AvpType.LastSentLcpConfReq => L2tpAvpValues.TryReadLastSentLcpConfReq(value, out _),
            AvpType.LastReceivedLcpConfReq => L2tpAvpValues.TryReadLastReceivedLcpConfReq(value, out _),
            AvpType.ProxyAuthenType => L2tpAvpValues.TryReadProxyAuthenType(value, out _),
            AvpType.ProxyAuthenName => L2tpAvpValues.TryReadProxyAuthenName(value, out _),
            AvpType.ProxyAuthenChallenge => L2tpAvpValues.TryReadProxyAuthenChallenge(value, out _),
            AvpType.ProxyAuthenId => L2tpAvpValues.TryReadProxyAuthenId(value, out _),
            AvpType.ProxyAuthenResponse => L2tpAvpValues.TryReadProxyAuthenResponse(value, out _),
            AvpType.CallErrors => L2tpAvpValues.TryReadCallErrors(value, out _),
            AvpType.Accm => L2tpAvpValues.TryReadAccm(value, out _, out _),
            AvpType.RandomVector => L2tpAvpValues.TryReadRandomVector(value, out _),
            AvpType.PrivateGroupId => L2tpAvpValues.TryReadPrivateGroupId(value, out _),
            AvpType.RxConnectSpeed => L2tpAvpValues.TryReadRxConnectSpeed(value, out _),
            AvpType.SequencingRequired => L2tpAvpValues.TryReadSequencingRequired(value),
            _ => throw new FuzzInvariantException($"AVP kind Known for undefined type {avp.AttributeType}"),
        };
        return status;
    }

    private static L2tpParseStatus CheckResultCode(ReadOnlySpan<byte> value)
    {
        var status = L2tpAvpValues.TryReadResultCode(value, out var result);
        if (status == L2tpParseStatus.Ok && 2 + (result.HasErrorCode ? 2 : 0) + result.ErrorMessage.Length != value.Length)
        {
            throw new FuzzInvariantException("Result Code fields do not add up to the value length");
        }
        return status;
    }

    private static L2tpParseStatus CheckNonZero(L2tpParseStatus status, ushort id)
    {
        if (status == L2tpParseStatus.Ok && id == 0)
        {
            throw new FuzzInvariantException("an assigned id of zero was accepted");
        }
        return status;
    }

    private static byte[] Finish(ref L2tpControlMessageWriter writer, byte[] buffer)
    {
        if (!writer.TryFinish(out var length))
        {
            throw new InvalidOperationException("seed does not fit");
        }
        return buffer[..length];
    }
}
