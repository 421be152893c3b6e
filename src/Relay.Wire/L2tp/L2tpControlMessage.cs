using System.Buffers.Binary;

namespace Relay.Wire.L2tp;

/// <summary>
/// A validated control message (RFC 2661 §3.1, §4). <see cref="TryParse"/> checks the header,
/// frames every AVP, checks that the Message Type AVP comes first (§4.4.1) and that every
/// hidden AVP has a Random Vector before it (§4.3), and notes the first AVP that §4.1 says
/// must tear the session or tunnel down. A message with no AVPs is a ZLB acknowledgement (§5.8).
/// </summary>
public readonly ref struct L2tpControlMessage
{
    private readonly ReadOnlySpan<byte> _body;

    private L2tpControlMessage(L2tpHeader header, ReadOnlySpan<byte> body, ushort messageType, bool messageTypeMandatory,
        bool hasUnknownMandatory, ushort unknownType, ushort unknownVendor)
    {
        Header = header;
        _body = body;
        MessageType = (L2tpMessageType)messageType;
        IsMessageTypeMandatory = messageTypeMandatory;
        HasUnrecognizedMandatoryAvp = hasUnknownMandatory;
        UnrecognizedMandatoryAttributeType = unknownType;
        UnrecognizedMandatoryVendorId = unknownVendor;
    }

    public L2tpHeader Header { get; }

    /// <summary>True for a Zero-Length Body message: header only, an explicit acknowledgement (§5.8).</summary>
    public bool IsZeroLengthBody => _body.IsEmpty;

    /// <summary>The Message Type value; zero for a ZLB. May be a value <see cref="IsKnownMessageType"/> rejects.</summary>
    public L2tpMessageType MessageType { get; }

    /// <summary>M-bit of the Message Type AVP: whether an unknown type clears the tunnel (§4.4.1).</summary>
    public bool IsMessageTypeMandatory { get; }

    public bool IsKnownMessageType => IsKnown(MessageType);

    /// <summary>An AVP not recognised (unknown IETF type, reserved bit, or any vendor AVP) had M=1.</summary>
    public bool HasUnrecognizedMandatoryAvp { get; }

    /// <summary>Attribute type of the first such AVP, for the Result Code's error message (§4.4.2 code 8).</summary>
    public ushort UnrecognizedMandatoryAttributeType { get; }

    public ushort UnrecognizedMandatoryVendorId { get; }

    /// <summary>All AVPs, Message Type included, in order.</summary>
    public L2tpAvpReader Avps => new(_body);

    /// <summary>The AVP octets: from the end of the header to the end given by Length.</summary>
    public ReadOnlySpan<byte> Body => _body;

    /// <summary>True for the types §3.2 defines (1–16 except the reserved 5 and 13).</summary>
    public static bool IsKnown(L2tpMessageType type)
        => (ushort)type is >= 1 and <= 16 and not 5 and not 13;

    public static L2tpParseStatus TryParse(ReadOnlySpan<byte> datagram, out L2tpControlMessage message)
    {
        message = default;
        var status = L2tpHeader.TryParse(datagram, out var header);
        if (status != L2tpParseStatus.Ok)
        {
            return status;
        }
        if (!header.IsControl)
        {
            return L2tpParseStatus.NotControl;
        }
        var body = datagram[header.PayloadStart..header.MessageEnd];
        ushort messageType = 0;
        var messageTypeMandatory = false;
        var hasUnknown = false;
        ushort unknownType = 0, unknownVendor = 0;
        var reader = new L2tpAvpReader(body);
        var first = true;
        while (reader.MoveNext())
        {
            var avp = reader.Current;
            if (first)
            {
                first = false;
                // §4.4.1: the Message Type AVP MUST be first. One with a reserved bit set is
                // unrecognised (§4.1), so it cannot stand in for it either.
                if (avp.Kind != L2tpAvpKind.Known || avp.Type != AvpType.MessageType)
                {
                    return L2tpParseStatus.MessageTypeNotFirst;
                }
                if (avp.IsHidden)
                {
                    return L2tpParseStatus.MessageTypeHidden;
                }
                if (avp.RawValue.Length != 2)
                {
                    return L2tpParseStatus.BadMessageType;
                }
                messageType = BinaryPrimitives.ReadUInt16BigEndian(avp.RawValue);
                messageTypeMandatory = avp.IsMandatory;
                continue;
            }
            if (avp.Kind == L2tpAvpKind.Known && avp.Type == AvpType.RandomVector && avp.IsHidden)
            {
                return L2tpParseStatus.RandomVectorHidden;
            }
            if (avp.IsHidden && !avp.HasRandomVector)
            {
                return L2tpParseStatus.HiddenAvpWithoutRandomVector;
            }
            if (!hasUnknown && avp.IsUnrecognizedMandatory)
            {
                hasUnknown = true;
                unknownType = avp.AttributeType;
                unknownVendor = avp.VendorId;
            }
        }
        if (reader.Status != L2tpParseStatus.Ok)
        {
            return reader.Status;
        }
        message = new L2tpControlMessage(header, body, messageType, messageTypeMandatory, hasUnknown, unknownType, unknownVendor);
        return L2tpParseStatus.Ok;
    }
}
