namespace Relay.Wire.L2tp;

/// <summary>
/// IETF (Vendor ID 0) attribute types defined by RFC 2661 §4.4 (IANA, §10.1: 0–39).
/// RFC 2661 assigns no attribute to 20; it has no member and is unknown like any value above 39.
/// </summary>
public enum AvpType : ushort
{
    MessageType = 0,
    ResultCode = 1,
    ProtocolVersion = 2,
    FramingCapabilities = 3,
    BearerCapabilities = 4,
    TieBreaker = 5,
    FirmwareRevision = 6,
    HostName = 7,
    VendorName = 8,
    AssignedTunnelId = 9,
    ReceiveWindowSize = 10,
    Challenge = 11,
    Q931CauseCode = 12,
    ChallengeResponse = 13,
    AssignedSessionId = 14,
    CallSerialNumber = 15,
    MinimumBps = 16,
    MaximumBps = 17,
    BearerType = 18,
    FramingType = 19,
    CalledNumber = 21,
    CallingNumber = 22,
    SubAddress = 23,
    /// <summary>(Tx) Connect Speed.</summary>
    TxConnectSpeed = 24,
    PhysicalChannelId = 25,
    InitialReceivedLcpConfReq = 26,
    LastSentLcpConfReq = 27,
    LastReceivedLcpConfReq = 28,
    ProxyAuthenType = 29,
    ProxyAuthenName = 30,
    ProxyAuthenChallenge = 31,
    ProxyAuthenId = 32,
    ProxyAuthenResponse = 33,
    CallErrors = 34,
    Accm = 35,
    RandomVector = 36,
    PrivateGroupId = 37,
    RxConnectSpeed = 38,
    SequencingRequired = 39,
}
