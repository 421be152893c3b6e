namespace Relay.Wire.L2tp;

/// <summary>Q.931 Cause Code AVP value (RFC 2661 §4.4.4): cause code, cause message, optional advisory text.</summary>
public readonly ref struct L2tpQ931Cause
{
    public L2tpQ931Cause(ushort causeCode, byte causeMessage, ReadOnlySpan<byte> advisory)
    {
        CauseCode = causeCode;
        CauseMessage = causeMessage;
        Advisory = advisory;
    }

    public ushort CauseCode { get; }

    public byte CauseMessage { get; }

    /// <summary>ASCII advisory message; empty when absent.</summary>
    public ReadOnlySpan<byte> Advisory { get; }
}
