namespace Relay.Wire.L2tp;

/// <summary>
/// The defined bits of the first header word (RFC 2661 §3.1), at their wire positions so that
/// <c>(L2tpHeaderFlags)(firstWord &amp; Mask)</c> reads them. Reserved bits and Ver are not flags.
/// </summary>
[Flags]
public enum L2tpHeaderFlags : ushort
{
    None = 0,
    /// <summary>P: data message for preferential queuing; MUST be 0 on control messages.</summary>
    Priority = 0x0100,
    /// <summary>O: the Offset Size field is present.</summary>
    Offset = 0x0200,
    /// <summary>S: the Ns and Nr fields are present.</summary>
    Sequence = 0x0800,
    /// <summary>L: the Length field is present.</summary>
    Length = 0x4000,
    /// <summary>T: control message (1) or data message (0).</summary>
    Control = 0x8000,
    /// <summary>All defined bits; everything else in the word except Ver is reserved.</summary>
    Mask = Priority | Offset | Sequence | Length | Control,
    /// <summary>The bits every control message carries (§3.1).</summary>
    ControlMessage = Control | Length | Sequence,
}
