using System.Buffers.Binary;

namespace Relay.Wire.L2tp;

/// <summary>
/// Typed readers for the clear Attribute Values of every AVP RFC 2661 §4.4 defines. Each takes
/// the value (from <see cref="L2tpAvp.TryGetValue"/>), checks its length against the format the
/// RFC gives, and returns <c>Bad&lt;Attribute&gt;</c> when it does not fit. Octet strings are
/// returned as slices of the input, never copied.
/// </summary>
public static class L2tpAvpValues
{
    /// <summary>Value length of the Challenge Response AVP: one MD5 digest (§4.4.3).</summary>
    public const int ChallengeResponseLength = 16;

    /// <summary>Value length of the Call Errors AVP: 2 reserved octets and six 32-bit counters (§4.4.6).</summary>
    public const int CallErrorsLength = 26;

    /// <summary>Value length of the ACCM AVP: 2 reserved octets, send ACCM, receive ACCM (§4.4.6).</summary>
    public const int AccmLength = 10;

    /// <summary>
    /// Result Code (§4.4.2): 2 octets of result, then optionally a 2 octet error code and then
    /// an error message. A 3-octet value (half an error code) is malformed.
    /// </summary>
    public static L2tpParseStatus TryReadResultCode(ReadOnlySpan<byte> value, out L2tpResultCode result)
    {
        if (value.Length < 2 || value.Length == 3)
        {
            result = default;
            return L2tpParseStatus.BadResultCode;
        }
        var code = BinaryPrimitives.ReadUInt16BigEndian(value);
        result = value.Length == 2
            ? new L2tpResultCode(code, null, default)
            : new L2tpResultCode(code, BinaryPrimitives.ReadUInt16BigEndian(value[2..]), value[4..]);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Protocol Version (§4.4.3): 1 octet version, 1 octet revision (RFC 2661 sends 1, 0).</summary>
    public static L2tpParseStatus TryReadProtocolVersion(ReadOnlySpan<byte> value, out byte version, out byte revision)
    {
        if (value.Length != 2)
        {
            version = revision = 0;
            return L2tpParseStatus.BadProtocolVersion;
        }
        version = value[0];
        revision = value[1];
        return L2tpParseStatus.Ok;
    }

    /// <summary>Tie Breaker (§4.4.3): exactly 8 octets, compared as an unsigned number (lower wins).</summary>
    public static L2tpParseStatus TryReadTieBreaker(ReadOnlySpan<byte> value, out ulong result)
    {
        if (value.Length != 8)
        {
            result = 0;
            return L2tpParseStatus.BadTieBreaker;
        }
        result = BinaryPrimitives.ReadUInt64BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Challenge Response (§4.4.3): exactly 16 octets.</summary>
    public static L2tpParseStatus TryReadChallengeResponse(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        result = value.Length == ChallengeResponseLength ? value : default;
        return value.Length == ChallengeResponseLength ? L2tpParseStatus.Ok : L2tpParseStatus.BadChallengeResponse;
    }

    /// <summary>Q.931 Cause Code (§4.4.4): 2 octet cause, 1 octet message, optional advisory text.</summary>
    public static L2tpParseStatus TryReadQ931CauseCode(ReadOnlySpan<byte> value, out L2tpQ931Cause result)
    {
        if (value.Length < 3)
        {
            result = default;
            return L2tpParseStatus.BadQ931CauseCode;
        }
        result = new L2tpQ931Cause(BinaryPrimitives.ReadUInt16BigEndian(value), value[2], value[3..]);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Proxy Authen ID (§4.4.5): 2 octets whose most significant octet MUST be 0.</summary>
    public static L2tpParseStatus TryReadProxyAuthenId(ReadOnlySpan<byte> value, out byte id)
    {
        if (value.Length != 2 || value[0] != 0)
        {
            id = 0;
            return L2tpParseStatus.BadProxyAuthenId;
        }
        id = value[1];
        return L2tpParseStatus.Ok;
    }

    /// <summary>Call Errors (§4.4.6): 26 octets. The reserved leading octets are not checked.</summary>
    public static L2tpParseStatus TryReadCallErrors(ReadOnlySpan<byte> value, out L2tpCallErrors result)
    {
        if (value.Length != CallErrorsLength)
        {
            result = default;
            return L2tpParseStatus.BadCallErrors;
        }
        result = new L2tpCallErrors(
            BinaryPrimitives.ReadUInt32BigEndian(value[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[6..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[10..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[14..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[18..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[22..]));
        return L2tpParseStatus.Ok;
    }

    /// <summary>ACCM (§4.4.6): 2 reserved octets, 4 octet send ACCM, 4 octet receive ACCM.</summary>
    public static L2tpParseStatus TryReadAccm(ReadOnlySpan<byte> value, out uint sendAccm, out uint receiveAccm)
    {
        if (value.Length != AccmLength)
        {
            sendAccm = receiveAccm = 0;
            return L2tpParseStatus.BadAccm;
        }
        sendAccm = BinaryPrimitives.ReadUInt32BigEndian(value[2..]);
        receiveAccm = BinaryPrimitives.ReadUInt32BigEndian(value[6..]);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Sequencing Required (§4.4.4): no value at all.</summary>
    public static L2tpParseStatus TryReadSequencingRequired(ReadOnlySpan<byte> value)
        => value.IsEmpty ? L2tpParseStatus.Ok : L2tpParseStatus.BadSequencingRequired;

    /// <summary>Message Type (§4.4.1): 2 octets. Unknown values are returned as they are.</summary>
    public static L2tpParseStatus TryReadMessageType(ReadOnlySpan<byte> value, out L2tpMessageType result)
    {
        if (value.Length != 2)
        {
            result = default;
            return L2tpParseStatus.BadMessageType;
        }
        result = (L2tpMessageType)BinaryPrimitives.ReadUInt16BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Firmware Revision (§4.4.3): 2 octets, vendor specific.</summary>
    public static L2tpParseStatus TryReadFirmwareRevision(ReadOnlySpan<byte> value, out ushort result)
    {
        if (value.Length != 2)
        {
            result = default;
            return L2tpParseStatus.BadFirmwareRevision;
        }
        result = BinaryPrimitives.ReadUInt16BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Assigned Tunnel ID (§4.4.3): a 2 octet non-zero value.</summary>
    public static L2tpParseStatus TryReadAssignedTunnelId(ReadOnlySpan<byte> value, out ushort result)
    {
        if (value.Length != 2 || BinaryPrimitives.ReadUInt16BigEndian(value) == 0)
        {
            result = default;
            return L2tpParseStatus.BadAssignedTunnelId;
        }
        result = BinaryPrimitives.ReadUInt16BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Receive Window Size (§4.4.3): 2 octets.</summary>
    public static L2tpParseStatus TryReadReceiveWindowSize(ReadOnlySpan<byte> value, out ushort result)
    {
        if (value.Length != 2)
        {
            result = default;
            return L2tpParseStatus.BadReceiveWindowSize;
        }
        result = BinaryPrimitives.ReadUInt16BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Assigned Session ID (§4.4.4): a 2 octet non-zero value.</summary>
    public static L2tpParseStatus TryReadAssignedSessionId(ReadOnlySpan<byte> value, out ushort result)
    {
        if (value.Length != 2 || BinaryPrimitives.ReadUInt16BigEndian(value) == 0)
        {
            result = default;
            return L2tpParseStatus.BadAssignedSessionId;
        }
        result = BinaryPrimitives.ReadUInt16BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Proxy Authen Type (§4.4.5): 2 octets.</summary>
    public static L2tpParseStatus TryReadProxyAuthenType(ReadOnlySpan<byte> value, out L2tpProxyAuthenType result)
    {
        if (value.Length != 2)
        {
            result = default;
            return L2tpParseStatus.BadProxyAuthenType;
        }
        result = (L2tpProxyAuthenType)BinaryPrimitives.ReadUInt16BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Framing Capabilities (§4.4.3): 32-bit mask.</summary>
    public static L2tpParseStatus TryReadFramingCapabilities(ReadOnlySpan<byte> value, out L2tpFramingBits result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadFramingCapabilities;
        }
        result = (L2tpFramingBits)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Bearer Capabilities (§4.4.3): 32-bit mask.</summary>
    public static L2tpParseStatus TryReadBearerCapabilities(ReadOnlySpan<byte> value, out L2tpBearerBits result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadBearerCapabilities;
        }
        result = (L2tpBearerBits)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Call Serial Number (§4.4.4): 4 octets.</summary>
    public static L2tpParseStatus TryReadCallSerialNumber(ReadOnlySpan<byte> value, out uint result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadCallSerialNumber;
        }
        result = (uint)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Minimum BPS (§4.4.4): 4 octets.</summary>
    public static L2tpParseStatus TryReadMinimumBps(ReadOnlySpan<byte> value, out uint result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadMinimumBps;
        }
        result = (uint)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Maximum BPS (§4.4.4): 4 octets.</summary>
    public static L2tpParseStatus TryReadMaximumBps(ReadOnlySpan<byte> value, out uint result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadMaximumBps;
        }
        result = (uint)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Bearer Type (§4.4.4): 32-bit mask.</summary>
    public static L2tpParseStatus TryReadBearerType(ReadOnlySpan<byte> value, out L2tpBearerBits result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadBearerType;
        }
        result = (L2tpBearerBits)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Framing Type (§4.4.4): 32-bit mask.</summary>
    public static L2tpParseStatus TryReadFramingType(ReadOnlySpan<byte> value, out L2tpFramingBits result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadFramingType;
        }
        result = (L2tpFramingBits)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>(Tx) Connect Speed (§4.4.4): 4 octets, bits per second.</summary>
    public static L2tpParseStatus TryReadTxConnectSpeed(ReadOnlySpan<byte> value, out uint result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadTxConnectSpeed;
        }
        result = (uint)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Physical Channel ID (§4.4.4): 4 octets, for logging only.</summary>
    public static L2tpParseStatus TryReadPhysicalChannelId(ReadOnlySpan<byte> value, out uint result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadPhysicalChannelId;
        }
        result = (uint)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Rx Connect Speed (§4.4.4): 4 octets, bits per second.</summary>
    public static L2tpParseStatus TryReadRxConnectSpeed(ReadOnlySpan<byte> value, out uint result)
    {
        if (value.Length != 4)
        {
            result = default;
            return L2tpParseStatus.BadRxConnectSpeed;
        }
        result = (uint)BinaryPrimitives.ReadUInt32BigEndian(value);
        return L2tpParseStatus.Ok;
    }

    /// <summary>Host Name (§4.4.3): at least 1 octet.</summary>
    public static L2tpParseStatus TryReadHostName(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        result = value.Length >= 1 ? value : default;
        return value.Length >= 1 ? L2tpParseStatus.Ok : L2tpParseStatus.BadHostName;
    }

    /// <summary>Vendor Name (§4.4.3): UTF-8, any length.</summary>
    public static L2tpParseStatus TryReadVendorName(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Challenge (§4.4.3): one or more random octets.</summary>
    public static L2tpParseStatus TryReadChallenge(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        result = value.Length >= 1 ? value : default;
        return value.Length >= 1 ? L2tpParseStatus.Ok : L2tpParseStatus.BadChallenge;
    }

    /// <summary>Called Number (§4.4.4): ASCII, any length.</summary>
    public static L2tpParseStatus TryReadCalledNumber(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Calling Number (§4.4.4): ASCII, any length.</summary>
    public static L2tpParseStatus TryReadCallingNumber(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Sub-Address (§4.4.4): ASCII, any length.</summary>
    public static L2tpParseStatus TryReadSubAddress(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Private Group ID (§4.4.4): octets, any length.</summary>
    public static L2tpParseStatus TryReadPrivateGroupId(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Initial Received LCP CONFREQ (§4.4.5): LCP options, any length.</summary>
    public static L2tpParseStatus TryReadInitialReceivedLcpConfReq(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Last Sent LCP CONFREQ (§4.4.5): LCP options, any length.</summary>
    public static L2tpParseStatus TryReadLastSentLcpConfReq(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Last Received LCP CONFREQ (§4.4.5): LCP options, any length.</summary>
    public static L2tpParseStatus TryReadLastReceivedLcpConfReq(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Proxy Authen Name (§4.4.5): octets, any length.</summary>
    public static L2tpParseStatus TryReadProxyAuthenName(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Proxy Authen Challenge (§4.4.5): one or more octets.</summary>
    public static L2tpParseStatus TryReadProxyAuthenChallenge(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        result = value.Length >= 1 ? value : default;
        return value.Length >= 1 ? L2tpParseStatus.Ok : L2tpParseStatus.BadProxyAuthenChallenge;
    }

    /// <summary>Proxy Authen Response (§4.4.5): octets, any length.</summary>
    public static L2tpParseStatus TryReadProxyAuthenResponse(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        // Any length is valid; the accessor exists so every attribute is read one way.
        result = value;
        return L2tpParseStatus.Ok;
    }

    /// <summary>Random Vector (§4.4.1): one or more octets (16 or more recommended).</summary>
    public static L2tpParseStatus TryReadRandomVector(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> result)
    {
        result = value.Length >= 1 ? value : default;
        return value.Length >= 1 ? L2tpParseStatus.Ok : L2tpParseStatus.BadRandomVector;
    }
}
