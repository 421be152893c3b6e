using Relay.Wire.L2tp;

namespace Relay.Control.L2tp;

/// <summary>
/// A control message decoded for the state machines: header fields and the AVP values they use,
/// hidden ones already unhidden. The control path allocates; the data path never sees this type.
/// </summary>
public sealed class ControlMessage
{
    public L2tpMessageType Type { get; init; }

    public bool IsTypeMandatory { get; init; }

    public ushort TunnelId { get; init; }

    public ushort SessionId { get; init; }

    public ushort Ns { get; init; }

    public ushort Nr { get; init; }

    public ushort? ResultCode { get; set; }

    public ushort? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public byte? ProtocolVersion { get; set; }

    public byte? ProtocolRevision { get; set; }

    public string? HostName { get; set; }

    public string? VendorName { get; set; }

    public uint? FramingCapabilities { get; set; }

    public uint? BearerCapabilities { get; set; }

    public ulong? TieBreaker { get; set; }

    public ushort? AssignedTunnelId { get; set; }

    public ushort? AssignedSessionId { get; set; }

    public ushort? ReceiveWindowSize { get; set; }

    public byte[]? Challenge { get; set; }

    public byte[]? ChallengeResponse { get; set; }

    public uint? CallSerialNumber { get; set; }

    public uint? FramingType { get; set; }

    public uint? TxConnectSpeed { get; set; }

    public bool SequencingRequired { get; set; }

    /// <summary>The first AVP with M=1 that we do not recognise (§4.1), if any.</summary>
    public ushort? UnknownMandatoryAttribute { get; set; }

    public ushort UnknownMandatoryVendor { get; set; }
}
