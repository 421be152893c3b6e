using System.Buffers.Binary;
using System.Text;
using Relay.Wire.L2tp;

namespace Relay.Control.L2tp;

/// <summary>
/// Turns a validated wire message into a <see cref="ControlMessage"/>, unhiding AVPs with the
/// tunnel secret. A value of the wrong shape is reported with the AVP it came from, so the
/// StopCCN or log line can name it.
/// </summary>
public static class ControlMessageDecoder
{
    public readonly record struct Result(L2tpParseStatus Status, AvpType FaultyAvp, ControlMessage? Message)
    {
        public bool Ok => Status == L2tpParseStatus.Ok;
    }

    public static Result Decode(in L2tpControlMessage wire, ReadOnlySpan<byte> secret)
    {
        var message = new ControlMessage
        {
            Type = wire.MessageType,
            IsTypeMandatory = wire.IsMessageTypeMandatory,
            TunnelId = wire.Header.TunnelId,
            SessionId = wire.Header.SessionId,
            Ns = wire.Header.Ns,
            Nr = wire.Header.Nr,
        };
        if (wire.HasUnrecognizedMandatoryAvp)
        {
            message.UnknownMandatoryAttribute = wire.UnrecognizedMandatoryAttributeType;
            message.UnknownMandatoryVendor = wire.UnrecognizedMandatoryVendorId;
        }
        Span<byte> scratch = stackalloc byte[1024];
        var avps = wire.Avps;
        while (avps.MoveNext())
        {
            var avp = avps.Current;
            if (avp.Kind != L2tpAvpKind.Known)
            {
                continue;
            }
            var status = avp.TryGetValue(secret, scratch, out var value);
            if (status == L2tpParseStatus.Ok)
            {
                status = Apply(message, avp.Type, value);
            }
            if (status != L2tpParseStatus.Ok)
            {
                return new Result(status, avp.Type, message);
            }
        }
        return avps.Status == L2tpParseStatus.Ok
            ? new Result(L2tpParseStatus.Ok, default, message)
            : new Result(avps.Status, default, message);
    }

    private static L2tpParseStatus Apply(ControlMessage m, AvpType type, ReadOnlySpan<byte> value)
    {
        L2tpParseStatus s;
        switch (type)
        {
            case AvpType.ResultCode:
                s = L2tpAvpValues.TryReadResultCode(value, out var rc);
                if (s == L2tpParseStatus.Ok)
                {
                    m.ResultCode = rc.Result;
                    m.ErrorCode = rc.HasErrorCode ? rc.ErrorCode : null;
                    m.ErrorMessage = rc.ErrorMessage.IsEmpty ? null : Encoding.UTF8.GetString(rc.ErrorMessage);
                }
                return s;
            case AvpType.ProtocolVersion:
                s = L2tpAvpValues.TryReadProtocolVersion(value, out var version, out var revision);
                m.ProtocolVersion = version;
                m.ProtocolRevision = revision;
                return s;
            case AvpType.HostName:
                s = L2tpAvpValues.TryReadHostName(value, out var host);
                m.HostName = Encoding.UTF8.GetString(host);
                return s;
            case AvpType.VendorName:
                s = L2tpAvpValues.TryReadVendorName(value, out var vendor);
                m.VendorName = Encoding.UTF8.GetString(vendor);
                return s;
            case AvpType.FramingCapabilities:
                s = L2tpAvpValues.TryReadFramingCapabilities(value, out var fc);
                m.FramingCapabilities = (uint)fc;
                return s;
            case AvpType.BearerCapabilities:
                s = L2tpAvpValues.TryReadBearerCapabilities(value, out var bc);
                m.BearerCapabilities = (uint)bc;
                return s;
            case AvpType.TieBreaker:
                s = L2tpAvpValues.TryReadTieBreaker(value, out var tie);
                m.TieBreaker = tie;
                return s;
            case AvpType.AssignedTunnelId:
                // Zero is accepted here: a StopCCN refusing an SCCRQ, or a CDN refusing an ICRQ,
                // may come from a peer that never allocated an id. The state machines treat 0 as
                // "none" where an id is required.
                if (value.Length != 2)
                {
                    return L2tpParseStatus.BadAssignedTunnelId;
                }
                m.AssignedTunnelId = BinaryPrimitives.ReadUInt16BigEndian(value);
                return L2tpParseStatus.Ok;
            case AvpType.AssignedSessionId:
                if (value.Length != 2)
                {
                    return L2tpParseStatus.BadAssignedSessionId;
                }
                m.AssignedSessionId = BinaryPrimitives.ReadUInt16BigEndian(value);
                return L2tpParseStatus.Ok;
            case AvpType.ReceiveWindowSize:
                s = L2tpAvpValues.TryReadReceiveWindowSize(value, out var rws);
                m.ReceiveWindowSize = rws;
                return s;
            case AvpType.Challenge:
                s = L2tpAvpValues.TryReadChallenge(value, out var challenge);
                m.Challenge = challenge.ToArray();
                return s;
            case AvpType.ChallengeResponse:
                s = L2tpAvpValues.TryReadChallengeResponse(value, out var response);
                m.ChallengeResponse = response.ToArray();
                return s;
            case AvpType.CallSerialNumber:
                s = L2tpAvpValues.TryReadCallSerialNumber(value, out var serial);
                m.CallSerialNumber = serial;
                return s;
            case AvpType.FramingType:
                s = L2tpAvpValues.TryReadFramingType(value, out var ft);
                m.FramingType = (uint)ft;
                return s;
            case AvpType.TxConnectSpeed:
                s = L2tpAvpValues.TryReadTxConnectSpeed(value, out var speed);
                m.TxConnectSpeed = speed;
                return s;
            case AvpType.SequencingRequired:
                s = L2tpAvpValues.TryReadSequencingRequired(value);
                m.SequencingRequired = s == L2tpParseStatus.Ok;
                return s;
            default:
                // Recognised but not used by the state machines (Q.931 cause, proxy
                // authentication, call errors, ACCM...): validated by the wire layer's reader
                // when someone needs it, ignored here.
                return L2tpParseStatus.Ok;
        }
    }
}
