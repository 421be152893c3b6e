using System.Buffers.Binary;

namespace Relay.Wire.L2tp;

/// <summary>
/// Builds one control message in a caller's buffer: the header (RFC 2661 §3.1) at construction,
/// then AVPs in call order, then <see cref="TryFinish"/> fills the Length field. Every write
/// returns false when the buffer or the 1023-octet AVP limit is exceeded; after the first
/// failure the writer refuses further writes and <see cref="TryFinish"/> fails, so a caller may
/// chain writes and check once. Nothing is allocated.
/// </summary>
public ref struct L2tpControlMessageWriter
{
    private const int AvpHeaderLength = 6;
    private const int MaxAvpLength = 1023;

    private readonly Span<byte> _buffer;
    private int _position;
    private int _randomVectorStart;
    private int _randomVectorLength;
    private bool _failed;

    public L2tpControlMessageWriter(Span<byte> destination, ushort tunnelId, ushort sessionId, ushort ns, ushort nr)
    {
        _buffer = destination;
        _randomVectorStart = -1;
        if (!L2tpHeader.Control(tunnelId, sessionId, ns, nr).TryWrite(destination, 0, out _position))
        {
            _failed = true;
        }
    }

    /// <summary>Octets written so far.</summary>
    public readonly int Length => _position;

    public readonly bool Failed => _failed;

    /// <summary>The Message Type AVP; §4.4.1 requires it first, with M=1 for the types RFC 2661 defines.</summary>
    public bool WriteMessageType(L2tpMessageType type, bool mandatory = true)
        => WriteUInt16(AvpType.MessageType, (ushort)type, mandatory);

    /// <summary>
    /// An AVP with any value. Vendor AVPs pass their Vendor ID and their own attribute number.
    /// </summary>
    public bool WriteAvp(ushort attributeType, scoped ReadOnlySpan<byte> value, bool mandatory, ushort vendorId = 0)
    {
        if (!Reserve(value.Length, out var avp))
        {
            return false;
        }
        WriteAvpHeader(avp, mandatory, hidden: false, vendorId, attributeType);
        value.CopyTo(avp[AvpHeaderLength..]);
        if (vendorId == 0 && attributeType == (ushort)AvpType.RandomVector)
        {
            // Whichever way a Random Vector AVP is written, the receiver will use it for the
            // hidden AVPs after it (§4.3), so hiding must too.
            _randomVectorStart = _position - value.Length;
            _randomVectorLength = value.Length;
        }
        return true;
    }

    public bool WriteAvp(AvpType type, scoped ReadOnlySpan<byte> value, bool mandatory)
        => WriteAvp((ushort)type, value, mandatory);

    /// <summary>An AVP without a value, such as Sequencing Required (§4.4.4).</summary>
    public bool WriteEmpty(AvpType type, bool mandatory) => WriteAvp((ushort)type, default, mandatory);

    public bool WriteUInt16(AvpType type, ushort value, bool mandatory)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return WriteAvp((ushort)type, bytes, mandatory);
    }

    public bool WriteUInt32(AvpType type, uint value, bool mandatory)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return WriteAvp((ushort)type, bytes, mandatory);
    }

    public bool WriteUInt64(AvpType type, ulong value, bool mandatory)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return WriteAvp((ushort)type, bytes, mandatory);
    }

    /// <summary>Protocol Version AVP (§4.4.3); RFC 2661 peers send version 1, revision 0.</summary>
    public bool WriteProtocolVersion(byte version = 1, byte revision = 0)
    {
        Span<byte> bytes = [version, revision];
        return WriteAvp(AvpType.ProtocolVersion, bytes, mandatory: true);
    }

    /// <summary>
    /// Result Code AVP (§4.4.2, M=1, never hidden). The error code is written when given or when a
    /// message is given (the message can only follow an error code).
    /// </summary>
    public bool WriteResultCode(ushort result, ushort? errorCode = null, scoped ReadOnlySpan<byte> errorMessage = default)
    {
        var withError = errorCode.HasValue || !errorMessage.IsEmpty;
        var valueLength = 2 + (withError ? 2 + errorMessage.Length : 0);
        if (!Reserve(valueLength, out var avp))
        {
            return false;
        }
        WriteAvpHeader(avp, mandatory: true, hidden: false, 0, (ushort)AvpType.ResultCode);
        BinaryPrimitives.WriteUInt16BigEndian(avp[6..], result);
        if (withError)
        {
            BinaryPrimitives.WriteUInt16BigEndian(avp[8..], errorCode.GetValueOrDefault());
            errorMessage.CopyTo(avp[10..]);
        }
        return true;
    }

    /// <summary>Q.931 Cause Code AVP (§4.4.4, M=1).</summary>
    public bool WriteQ931CauseCode(ushort causeCode, byte causeMessage, scoped ReadOnlySpan<byte> advisory = default)
    {
        if (!Reserve(3 + advisory.Length, out var avp))
        {
            return false;
        }
        WriteAvpHeader(avp, mandatory: true, hidden: false, 0, (ushort)AvpType.Q931CauseCode);
        BinaryPrimitives.WriteUInt16BigEndian(avp[6..], causeCode);
        avp[8] = causeMessage;
        advisory.CopyTo(avp[9..]);
        return true;
    }

    /// <summary>Call Errors AVP (§4.4.6, M=1).</summary>
    public bool WriteCallErrors(in L2tpCallErrors errors)
    {
        Span<byte> bytes = stackalloc byte[L2tpAvpValues.CallErrorsLength];
        bytes[..2].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], errors.CrcErrors);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[6..], errors.FramingErrors);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[10..], errors.HardwareOverruns);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[14..], errors.BufferOverruns);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[18..], errors.TimeoutErrors);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[22..], errors.AlignmentErrors);
        return WriteAvp(AvpType.CallErrors, bytes, mandatory: true);
    }

    /// <summary>ACCM AVP (§4.4.6, M=1).</summary>
    public bool WriteAccm(uint sendAccm, uint receiveAccm)
    {
        Span<byte> bytes = stackalloc byte[L2tpAvpValues.AccmLength];
        bytes[..2].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], sendAccm);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[6..], receiveAccm);
        return WriteAvp(AvpType.Accm, bytes, mandatory: true);
    }

    /// <summary>Proxy Authen ID AVP (§4.4.5, M=0): the high octet is 0.</summary>
    public bool WriteProxyAuthenId(byte id)
    {
        Span<byte> bytes = [0, id];
        return WriteAvp(AvpType.ProxyAuthenId, bytes, mandatory: false);
    }

    /// <summary>
    /// Random Vector AVP (§4.4.1, M=1, never hidden). Later hidden AVPs use the most recent one
    /// (§4.3), so write it before the first <see cref="WriteHidden"/>.
    /// </summary>
    public bool WriteRandomVector(scoped ReadOnlySpan<byte> randomVector)
        => WriteAvp(AvpType.RandomVector, randomVector, mandatory: true);

    /// <summary>
    /// An AVP whose value is hidden (§4.3) with <paramref name="secret"/> and the Random Vector
    /// last written. <paramref name="padding"/> (random octets from the caller) hides the value's
    /// length. Fails, marking the writer failed, if no Random Vector has been written.
    /// </summary>
    public bool WriteHidden(ushort attributeType, scoped ReadOnlySpan<byte> value, bool mandatory, scoped ReadOnlySpan<byte> secret,
        scoped ReadOnlySpan<byte> padding = default, ushort vendorId = 0)
    {
        if (_randomVectorStart < 0)
        {
            _failed = true;
            return false;
        }
        if (!Reserve(HiddenAvpCipher.HiddenLength(value.Length, padding.Length), out var avp))
        {
            return false;
        }
        WriteAvpHeader(avp, mandatory, hidden: true, vendorId, attributeType);
        var randomVector = _buffer.Slice(_randomVectorStart, _randomVectorLength);
        return HiddenAvpCipher.TryHide(attributeType, secret, randomVector, value, padding, avp[AvpHeaderLength..], out _);
    }

    public bool WriteHidden(AvpType type, scoped ReadOnlySpan<byte> value, bool mandatory, scoped ReadOnlySpan<byte> secret,
        scoped ReadOnlySpan<byte> padding = default)
        => WriteHidden((ushort)type, value, mandatory, secret, padding);

    /// <summary>
    /// Fills the Length field and reports the message length. A writer with no AVPs produces a
    /// ZLB acknowledgement (§5.8).
    /// </summary>
    public readonly bool TryFinish(out int length)
    {
        if (_failed)
        {
            length = 0;
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)_position);
        length = _position;
        return true;
    }

    private bool Reserve(int valueLength, out Span<byte> avp)
    {
        var total = AvpHeaderLength + valueLength;
        if (_failed || total > MaxAvpLength || _position + total > _buffer.Length || _position + total > ushort.MaxValue)
        {
            _failed = true;
            avp = default;
            return false;
        }
        avp = _buffer.Slice(_position, total);
        _position += total;
        return true;
    }

    private static void WriteAvpHeader(Span<byte> avp, bool mandatory, bool hidden, ushort vendorId, ushort attributeType)
    {
        // §4.1: M, H, four reserved bits (zero), 10-bit Length.
        var first = (mandatory ? L2tpAvp.MandatoryBit : 0) | (hidden ? L2tpAvp.HiddenBit : 0) | (avp.Length >> 8);
        avp[0] = (byte)first;
        avp[1] = (byte)avp.Length;
        BinaryPrimitives.WriteUInt16BigEndian(avp[2..], vendorId);
        BinaryPrimitives.WriteUInt16BigEndian(avp[4..], attributeType);
    }
}
